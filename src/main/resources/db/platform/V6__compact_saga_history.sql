-- One history row per saga operation (a step: the reply and the next command), its entries in
-- order in a JSON array, instead of a row per entry. An entry's id, which the order's event
-- stream uses for Last-Event-ID, is its row's id times 16 plus its place in the row.
alter table saga_history add column entries jsonb;
update saga_history set entries = jsonb_build_array(jsonb_build_object('kind', kind, 'step', step, 'detail', detail));
alter table saga_history alter column entries set not null, drop column kind, drop column step, drop column detail;
