-- What the purges need to find their rows without reading whole tables: inbox entries by the
-- time they were applied, and saga history by the time it was written (sagas that ended are
-- found through sagas_by_state).
create index inbox_by_consumed_at on inbox (consumed_at);
create index saga_history_by_time on saga_history (at);
