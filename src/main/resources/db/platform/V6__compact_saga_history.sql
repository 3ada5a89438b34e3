-- One history row per saga operation (a step: the reply and the next command), its entries in
-- order in a JSON array, instead of a row per entry. An entry's id, which the order's event
-- stream uses for Last-Event-ID, is its row's id times 16 plus its place in the row.
-- The old columns stay (nullable) for one release, so that instances of the previous version
-- still running during a rolling deploy can write their rows; readers take either form.
alter table saga_history add column entries jsonb;
update saga_history set entries = jsonb_build_array(jsonb_build_object('kind', kind, 'step', step, 'detail', detail));
alter table saga_history alter column kind drop not null;
