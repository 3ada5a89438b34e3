-- HTTP Idempotency-Key records: the first response for (client, key) is kept and replayed.
create table idempotency_keys (
    client_id         text        not null,
    key               text        not null,
    request_hash      bytea       not null,
    state             text        not null check (state in ('IN_FLIGHT', 'COMPLETED')),
    response_status   int,
    response_headers  jsonb,
    response_body     bytea,
    locked_until      timestamptz not null,
    created_at        timestamptz not null,
    expires_at        timestamptz not null,
    primary key (client_id, key)
);

create index idempotency_keys_expiry on idempotency_keys (expires_at);
