create table products (
    sku          text primary key,
    name         text        not null,
    price_minor  bigint      not null check (price_minor >= 0),
    currency     char(3)     not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null
);
