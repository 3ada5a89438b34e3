-- One row per order. Either its shipment (shipment_id, address and items set) or a tombstone
-- (shipment_id null, state CANCELLED): the order's shipping was cancelled before any shipment
-- existed, so a CreateShipment that arrives late cannot bring a live shipment into being.
-- States: CREATED -> CANCELLED, CREATED -> DISPATCHED; both are final.
create table shipments (
    order_id       text        primary key,
    shipment_id    uuid        unique,
    state          text        not null check (state in ('CREATED', 'CANCELLED', 'DISPATCHED')),
    address        jsonb,
    items          jsonb,
    created_at     timestamptz not null,
    updated_at     timestamptz not null,
    cancelled_at   timestamptz,
    dispatched_at  timestamptz,
    constraint shipment_or_tombstone check (
        (shipment_id is not null and address is not null and items is not null)
        or (shipment_id is null and address is null and items is null and state = 'CANCELLED'))
);
