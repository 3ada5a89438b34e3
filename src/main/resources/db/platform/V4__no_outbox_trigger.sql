-- A NOTIFY in a producer's commit holds PostgreSQL's notify lock until that commit is flushed, so
-- every producing commit waited for the one before it. Producers now wake their own process's
-- relay after commit (any relay publishes every committed row), and the relay announces what it
-- published after its own commit, once per batch.
drop trigger outbox_notify on outbox;
drop function notify_outbox();
