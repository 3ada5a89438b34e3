-- Stock per product. Available = on_hand - reserved. Reserved units are promised to orders
-- and can neither be sold to others nor adjusted away; on-hand never goes below them.
create table stock (
    sku         text        primary key references products (sku),
    on_hand     bigint      not null default 0,
    reserved    bigint      not null default 0,
    updated_at  timestamptz not null,
    constraint stock_never_oversold check (reserved >= 0 and on_hand >= reserved)
);

-- Every stock adjustment an operator made, with the levels it left behind.
create table stock_adjustments (
    id               bigint      generated always as identity primary key,
    sku              text        not null references stock (sku),
    delta            bigint      not null,
    reason           text        not null,
    on_hand_after    bigint      not null,
    reserved_after   bigint      not null,
    created_at       timestamptz not null
);

create index stock_adjustments_by_sku on stock_adjustments (sku, id);

-- One reservation per order, all lines or none. FAILED remembers a refusal, so a repeated
-- ReserveStock answers as the first one did. Allowed transitions:
--   RESERVED -> COMMITTED | RELEASED | EXPIRED,  EXPIRED -> COMMITTED | RELEASED,
--   COMMITTED -> RELEASED;  RELEASED and FAILED are final.
-- expiry_requested_at: when the expiry job last asked the order's message stream to expire it.
create table reservations (
    order_id             text        primary key,
    state                text        not null check (state in ('RESERVED', 'COMMITTED', 'RELEASED', 'EXPIRED', 'FAILED')),
    reason               text,
    expires_at           timestamptz,
    expiry_requested_at  timestamptz,
    created_at           timestamptz not null,
    updated_at           timestamptz not null,
    check ((state = 'FAILED') = (reason is not null)),
    check (state = 'FAILED' or expires_at is not null)
);

create index reservations_due on reservations (expires_at) where state = 'RESERVED';

-- The units of a reservation, merged per sku. No foreign keys, on purpose: this is the
-- hottest insert of a checkout, and its rows are written in the same statement as their
-- reservation, for skus whose stock rows that transaction has just updated.
create table reservation_lines (
    order_id  text   not null,
    sku       text   not null,
    quantity  bigint not null check (quantity > 0),
    primary key (order_id, sku)
);
