-- Every call to the provider that changes something (authorize, capture, and undoing what a
-- cancelled order holds) is written here in the transaction that decides it, made after that
-- commits with no database connection held, and its answer recorded in a second transaction that
-- deletes the row. next_attempt_at is also the lease of an attempt in flight: a process that dies
-- during a call leaves the row, and the call is made again, with the same idempotency key, once
-- the lease has passed. Replaces pending_authorizations (which held only the calls that had
-- already failed once); the payment instances of the previous version must be stopped before
-- this one starts (see docs/adr/0003).
create table provider_calls (
    order_id         text        primary key references payments (order_id),
    operation        text        not null check (operation in ('AUTHORIZE', 'CAPTURE', 'REVERSE')),
    -- The provider's card token, kept only while an authorization is being made.
    payment_token    text,
    -- Past this, a call without an answer is given up (the saga is told payment_unavailable).
    pending_until    timestamptz not null,
    next_attempt_at  timestamptz not null,
    attempts         integer     not null default 0,
    -- Commands waiting for the answer: a command repeated while its call is made is answered with it.
    commands         integer     not null default 1,
    created_at       timestamptz not null
);

create index provider_calls_due on provider_calls (next_attempt_at);

insert into provider_calls (order_id, operation, payment_token, pending_until, next_attempt_at, attempts, created_at)
select order_id, operation, payment_token, pending_until, next_attempt_at, attempts, created_at
from pending_authorizations;

drop table pending_authorizations;
