-- Orders, written when accepted and moved to CONFIRMED or CANCELLED by the checkout saga.
-- Ids are time-ordered (UUID v7), so "newest first" is "id descending" and a page cursor is an id.
create table orders (
    id                   text primary key,
    customer_id          text        not null,
    status               text        not null check (status in ('PENDING', 'CONFIRMED', 'CANCELLED')),
    lines                jsonb       not null,
    total_minor          bigint      not null check (total_minor >= 0),
    currency             char(3)     not null,
    shipping_address     jsonb       not null,
    cancellation_reason  text,
    dispatched_at        timestamptz,
    created_at           timestamptz not null,
    updated_at           timestamptz not null
);

create index orders_by_customer on orders (customer_id, id desc);
