-- Orchestrated sagas: one row per instance, changed in the same transaction that consumes a
-- reply and publishes the next command.
create table sagas (
    id                 text primary key,
    definition         text        not null,
    state              text        not null check (state in ('RUNNING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED', 'NEEDS_ATTENTION')),
    step               int         not null,
    compensation_step  int,
    data               jsonb       not null,
    reason             text,
    attempts           int         not null default 0,
    deadline_at        timestamptz,
    last_error         text,
    created_at         timestamptz not null,
    updated_at         timestamptz not null
);

create index sagas_due on sagas (deadline_at) where state in ('RUNNING', 'COMPENSATING');
create index sagas_by_state on sagas (state, updated_at);

-- What happened to each saga, in order: commands sent, replies received, deadlines, retries.
create table saga_history (
    id         bigint generated always as identity primary key,
    saga_id    text        not null,
    at         timestamptz not null,
    kind       text        not null,
    step       text,
    detail     text
);

create index saga_history_by_saga on saga_history (saga_id, id);
