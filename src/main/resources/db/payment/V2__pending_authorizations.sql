-- Authorizations waiting for the provider to come back (an outage, or the circuit breaker open):
-- asked again, with the same idempotency key, until answered or until pending_until.
alter table payments drop constraint payments_status_check;
alter table payments add constraint payments_status_check check (status in ('AUTHORIZED', 'DECLINED',
    'AUTHORIZATION_UNKNOWN', 'AUTHORIZATION_PENDING', 'CAPTURED', 'VOIDED', 'REFUNDED', 'CANCELLED'));

create table pending_authorizations (
    order_id         text        primary key references payments (order_id),
    -- The provider's card token, kept only while the authorization waits.
    payment_token    text        not null,
    pending_until    timestamptz not null,
    next_attempt_at  timestamptz not null,
    attempts         integer     not null default 0,
    created_at       timestamptz not null
);

create index pending_authorizations_due on pending_authorizations (next_attempt_at);
