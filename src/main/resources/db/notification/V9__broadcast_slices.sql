-- A broadcast is queued in slices of its segment, each slice in a transaction of its own: in one
-- transaction, 100,000 recipients took 19 s of a core and wrote 700,000 rows in one commit. What a
-- slice needs is kept with the broadcast; fanned_to is the last customer queued, fanned_out_at
-- when the last slice was.
alter table broadcasts add column template_version int, add column locale text, add column data jsonb,
    add column channels text[], add column fanned_to text, add column fanned_out_at timestamptz;
update broadcasts set fanned_out_at = created_at;
create index broadcasts_fanning_out on broadcasts (created_at) where fanned_out_at is null;
