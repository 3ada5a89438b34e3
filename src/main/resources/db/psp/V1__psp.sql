-- The PSP simulator's own books: what it really did (authorizations and the operations on
-- them) and the idempotency keys its clients sent. Nothing else reads these tables.

create table authorizations (
    id              text        primary key,
    reference       text        not null,
    amount_minor    bigint      not null check (amount_minor > 0),
    currency        text        not null check (currency ~ '^[A-Z]{3}$'),
    token           text        not null,
    status          text        not null check (status in ('AUTHORIZED', 'DECLINED', 'CAPTURED', 'VOIDED')),
    decline_code    text,
    captured_minor  bigint      not null default 0,
    refunded_minor  bigint      not null default 0,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    -- The simulator never takes more than was authorized, nor gives back more than it took.
    constraint captured_within_authorized check (captured_minor between 0 and amount_minor),
    constraint refunded_within_captured check (refunded_minor between 0 and captured_minor),
    constraint declined_has_code check ((status = 'DECLINED') = (decline_code is not null)),
    constraint captured_only_when_captured check (captured_minor = 0 or status = 'CAPTURED')
);

create index authorizations_reference on authorizations (reference, created_at, id);

create table operations (
    id               text        primary key,
    authorization_id text        not null references authorizations (id),
    type             text        not null check (type in ('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND')),
    outcome          text        not null check (outcome in ('SUCCEEDED', 'DECLINED')),
    amount_minor     bigint      not null check (amount_minor >= 0),
    idempotency_key  text        not null,
    created_at       timestamptz not null
);

create index operations_authorization on operations (authorization_id, created_at, id);

-- Stripe-style idempotency: the first executed request for (client, key) is kept with its
-- response and replayed; lock_token fences a claim so that a request whose claim was taken
-- over cannot also complete.
create table idempotency_keys (
    client_id        text        not null,
    key              text        not null,
    request_hash     bytea       not null,
    state            text        not null check (state in ('IN_FLIGHT', 'COMPLETED')),
    lock_token       uuid        not null,
    response_status  int,
    response_location text,
    response_body    bytea,
    locked_until     timestamptz not null,
    created_at       timestamptz not null,
    expires_at       timestamptz not null,
    primary key (client_id, key)
);

create index idempotency_keys_expiry on idempotency_keys (expires_at);
