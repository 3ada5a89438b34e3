-- The transactional outbox, which is also the message log of the embedded transport.
-- A producer inserts a row in its own transaction (position null). The relay gives committed
-- rows their log position, one relay transaction at a time (it locks log_head), so positions
-- become visible in increasing order and a consumer reading "position > cursor" never skips
-- a row whose producer committed late.
create table outbox (
    id            bigint generated always as identity primary key,
    message_id    uuid        not null unique,
    type          text        not null,
    source        text        not null,
    subject       text        not null,
    payload       jsonb       not null,
    headers       jsonb       not null default '{}',
    occurred_at   timestamptz not null,
    created_at    timestamptz not null default clock_timestamp(),
    position      bigint unique,
    published_at  timestamptz
);

create index outbox_unpublished on outbox (id) where position is null;

create table log_head (
    singleton  boolean primary key default true check (singleton),
    position   bigint not null
);

insert into log_head (position) values (0);

-- Wakes relays in every process as soon as a producer commits (no fixed polling).
create function notify_outbox() returns trigger language plpgsql as $$
begin
    perform pg_notify('orderly_outbox', '');
    return null;
end $$;

create trigger outbox_notify after insert on outbox for each statement execute function notify_outbox();

-- One row per subscriber: how far it has consumed the log.
create table subscriptions (
    name        text primary key,
    position    bigint      not null,
    updated_at  timestamptz not null default clock_timestamp()
);

-- Message ids a subscriber has applied, written in the same transaction as the effect.
create table inbox (
    subscription  text        not null,
    message_id    uuid        not null,
    consumed_at   timestamptz not null default clock_timestamp(),
    primary key (subscription, message_id)
);

-- Messages a subscriber failed to apply, and the messages of the same key queued behind them
-- (per-key order). The head of each key is retried with backoff; other keys keep flowing.
create table parked_messages (
    id               bigint generated always as identity primary key,
    subscription     text        not null,
    message_id       uuid        not null,
    position         bigint      not null,
    type             text        not null,
    source           text        not null,
    subject          text        not null,
    payload          jsonb       not null,
    headers          jsonb       not null,
    occurred_at      timestamptz not null,
    created_at       timestamptz not null,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    history          jsonb       not null default '[]',
    unique (subscription, message_id)
);

create index parked_messages_by_key on parked_messages (subscription, subject, id);

-- Messages that failed every attempt, with their error and attempt history, until an
-- operator replays or discards them.
create table dead_letters (
    id            uuid primary key,
    subscription  text        not null,
    message_id    uuid        not null,
    position      bigint      not null,
    type          text        not null,
    source        text        not null,
    subject       text        not null,
    payload       jsonb       not null,
    headers       jsonb       not null,
    occurred_at   timestamptz not null,
    created_at    timestamptz not null,
    attempts      int         not null,
    last_error    text        not null,
    history       jsonb       not null,
    status        text        not null check (status in ('DEAD', 'REPLAYED', 'DISCARDED')),
    dead_at       timestamptz not null,
    resolved_at   timestamptz
);

create index dead_letters_by_status on dead_letters (status, id);
