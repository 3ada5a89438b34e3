-- Delivery: the carrier reports a dispatched shipment delivered (a signed webhook); DISPATCHED
-- becomes DELIVERED, which is final.
alter table shipments drop constraint shipments_state_check;
alter table shipments add constraint shipments_state_check
    check (state in ('CREATED', 'CANCELLED', 'DISPATCHED', 'DELIVERED'));
alter table shipments add column delivered_at timestamptz;

-- The carrier simulator's own books: a parcel handed over at dispatch, delivered at deliver_at,
-- and reported by webhook until we answer (at least once; next_attempt_at is also the lease of
-- a report in flight, so a restart loses no report).
create table carrier_parcels (
    shipment_id      uuid        primary key,
    order_id         text        not null,
    deliver_at       timestamptz not null,
    next_attempt_at  timestamptz not null,
    attempts         integer     not null default 0,
    reported_at      timestamptz
);

create index carrier_parcels_due on carrier_parcels (next_attempt_at) where reported_at is null;

-- An address changed before dispatch (the order module's edit): when, so that anyone can see it
-- happened before the parcel left.
alter table shipments add column address_changed_at timestamptz;
-- The address printed on the parcel's label when it was dispatched: where it really goes.
alter table shipments add column label_address jsonb;
