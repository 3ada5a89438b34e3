-- Webhook events from the provider, once each: a delivery of an event id already here is a duplicate.
create table webhook_events (
    event_id          text        primary key,
    type              text        not null,
    reference         text,
    authorization_id  text,
    -- applied (the order's payment was reconciled with the provider), or unmatched (no payment
    -- for the reference: left to reconciliation)
    outcome           text        not null,
    received_at       timestamptz not null
);
