-- One row per message sent (or refused) to a customer: per order, template and channel at
-- most one, so an event delivered twice, or published twice, notifies once.
create table deliveries (
    id              uuid        primary key,
    order_id        text        not null,
    customer_id     text,
    channel         text        not null check (channel in ('EMAIL')),
    template        text        not null,
    subject         text        not null,
    body            text        not null,
    status          text        not null check (status in ('SENT', 'FAILED')),
    failure_reason  text,
    created_at      timestamptz not null,
    constraint one_delivery_per_order_template_channel unique (order_id, template, channel)
);
