-- An order's life after checkout: what was given back, returns, delivery.

-- Given back to the customer in all: named refunds the provider did, and a cancelled order's
-- full refund (whose total includes the named ones before it).
alter table orders add column refunded_minor bigint not null default 0 check (refunded_minor >= 0);
alter table orders add column delivered_at timestamptz;

-- Refunds asked for by an operator (goodwill, partial) or for a return's units received. Decided
-- under the order's row lock: what is REQUESTED or REFUNDED never passes the order's total, which
-- is what was captured. The payment module does each once (its key is the refund's id) and
-- answers; status follows its answer.
create table refunds (
    id              text        primary key,
    order_id        text        not null references orders (id),
    amount_minor    bigint      not null check (amount_minor > 0),
    reason          text        not null,
    return_id       text,
    status          text        not null check (status in ('REQUESTED', 'REFUNDED', 'REFUSED')),
    refused_reason  text,
    requested_by    text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null
);

create index refunds_by_order on refunds (order_id);
create unique index one_refund_per_return on refunds (return_id) where return_id is not null;

-- Returns: asked for by the customer (or an operator for them) within the window after dispatch;
-- lines [{sku, quantity, receivedQuantity, restock}], received once by an operator.
create table returns (
    id           text        primary key,
    order_id     text        not null references orders (id),
    status       text        not null check (status in ('REQUESTED', 'RECEIVED')),
    reason       text,
    lines        jsonb       not null,
    refund_id    text,
    created_at   timestamptz not null,
    received_at  timestamptz
);

create index returns_by_order on returns (order_id, created_at);
