-- Who made a link (the token's subject): a customer sees, counts and deletes only their own.
-- Links made before there were callers have none and are the operators' alone.
alter table links add column owner text;
