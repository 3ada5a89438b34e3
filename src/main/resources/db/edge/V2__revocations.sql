-- What is no longer accepted although its signature still is: one access token (by jti), every
-- token of a subject issued up to an instant, every token of one login's refresh-token family,
-- an API key. A row is kept until nothing it names could still be valid, then purged.

create table revocations (
    id             bigserial   primary key,
    kind           text        not null check (kind in ('token', 'subject', 'family')),
    value          text        not null,
    issued_before  timestamptz,          -- kind subject: tokens issued up to here are refused
    revoked_at     timestamptz not null,
    expires_at     timestamptz not null, -- no token it names can be valid after this
    revoked_by     text        not null,
    reason         text        not null
);

create index revocations_expiry on revocations (expires_at);

-- Refresh tokens already exchanged for new ones (their hash): showing one again means it was
-- stolen or replayed, and the whole family (the authorization it belonged to) is revoked.
create table spent_refresh_tokens (
    token_hash        text        primary key,
    authorization_id  text        not null,
    expires_at        timestamptz not null
);

create index spent_refresh_tokens_expiry on spent_refresh_tokens (expires_at);
