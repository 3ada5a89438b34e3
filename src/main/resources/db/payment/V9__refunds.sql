-- Refunds asked for by the order module (goodwill, partial, for a return), any number per order.
-- Decided under the payment's row lock, so their sum never passes what was captured, however many
-- arrive at once; the provider is called after the decision commits, with the key
-- refund-of:<id>, and the answer recorded in a second transaction. A refund whose call has no
-- answer stays PENDING and is made again, with the same key, at next_attempt_at (which is also the
-- lease of an attempt in flight: a process that dies mid-call leaves the row to be taken again).
create table refunds (
    id               text        primary key,
    order_id         text        not null references payments (order_id),
    amount_minor     bigint      not null check (amount_minor > 0),
    currency         char(3),
    reason           text,
    status           text        not null check (status in ('PENDING', 'SUCCEEDED', 'REFUSED')),
    refused_reason   text,
    attempt_id       uuid,
    attempts         integer     not null default 0,
    failures         integer     not null default 0,
    -- Commands waiting for the answer: a command repeated while the refund waits is answered with it.
    commands         integer     not null default 1,
    next_attempt_at  timestamptz,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    constraint pending_has_attempt check ((status = 'PENDING') = (next_attempt_at is not null))
);

create index refunds_by_order on refunds (order_id);
create index refunds_due on refunds (next_attempt_at) where status = 'PENDING';

-- Several refunds per order: a REFUND movement is booked per step of the provider's refunded total,
-- its reference that total ("refunded:<minor>"), so learning the same total twice books it once.
-- Movements booked before (one full refund per order) keep the empty reference.
alter table ledger_transactions add column reference text not null default '';
alter table ledger_transactions drop constraint one_kind_per_order;
alter table ledger_transactions add constraint one_movement_per_reference unique (order_id, kind, reference);
