-- A delivery whose provider call ended without an answer (a timeout after the request left) may
-- have been sent: it is asked again of that provider only, under the same key, never of another.
alter table notification_deliveries add column pinned_provider text;
