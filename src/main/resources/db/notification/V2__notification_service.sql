-- The notification service: recipients and their preferences, notifications (one per event
-- identity), a delivery per notification and channel with its status history, and the in-app feed.

-- Where and when a customer may be reached. A customer without a row has no contact point but
-- the in-app feed, the default zone (UTC) and no quiet hours.
create table recipients (
    customer_id  text        primary key,
    email        text,
    phone        text,
    push_tokens  text[]      not null default '{}',
    locale       text        not null default 'en',
    time_zone    text        not null default 'UTC',
    quiet_start  time,
    quiet_end    time,
    updated_at   timestamptz not null,
    constraint quiet_hours_both_or_none check ((quiet_start is null) = (quiet_end is null))
);

-- What a customer does not want: a channel for a category (transactional or marketing).
create table opt_outs (
    customer_id  text not null,
    channel      text not null check (channel in ('EMAIL', 'SMS', 'PUSH', 'IN_APP')),
    category     text not null check (category in ('TRANSACTIONAL', 'MARKETING')),
    primary key (customer_id, channel, category),
    -- Transactional e-mail is how an order reaches its buyer: it cannot be opted out of.
    constraint transactional_email_stays check (not (channel = 'EMAIL' and category = 'TRANSACTIONAL'))
);

-- The orders' buyers, learned from OrderPlaced: events that name only the order (a payment
-- waiting, a dispatch) find their recipient here.
create table order_recipients (
    order_id     text primary key,
    customer_id  text not null
);

-- One row per event identity (an order event's type and order, a request's Idempotency-Key, a
-- broadcast's id and recipient): the same event delivered again, or the log replayed, finds it.
create table notifications (
    id                uuid        primary key,
    event_key         text        not null unique,
    recipient         text        not null,
    template          text        not null,
    template_version  int         not null,
    locale            text        not null,
    priority          text        not null check (priority in ('CRITICAL', 'TRANSACTIONAL', 'MARKETING')),
    order_id          text,
    data              jsonb       not null,
    created_at        timestamptz not null
);
create index notifications_by_recipient on notifications (recipient, created_at desc, id desc);
create index notifications_by_order on notifications (order_id, created_at desc, id desc) where order_id is not null;

-- A notification on one channel, rendered when it was queued. The workers of each priority claim
-- the due rows (next_attempt_at) whose lease has run out; lease_until marks one being sent.
create table notification_deliveries (
    id               uuid        primary key,
    notification_id  uuid        not null references notifications (id),
    channel          text        not null check (channel in ('EMAIL', 'SMS', 'PUSH', 'IN_APP')),
    priority         text        not null,
    status           text        not null check (status in ('QUEUED', 'HELD', 'SUPPRESSED', 'SENT', 'DELIVERED',
                                                            'BOUNCED', 'FAILED')),
    provider         text,
    provider_message text,
    subject          text,
    body             text        not null,
    html             text,
    attempts         int         not null default 0,
    next_attempt_at  timestamptz,
    lease_until      timestamptz,
    updated_at       timestamptz not null,
    constraint one_delivery_per_channel unique (notification_id, channel)
);
create index notification_deliveries_due on notification_deliveries (priority, next_attempt_at)
    where status in ('QUEUED', 'HELD');

-- Every status a delivery went through, with the provider and what it said.
create table delivery_history (
    id           bigint      generated always as identity primary key,
    delivery_id  uuid        not null references notification_deliveries (id),
    status       text        not null,
    provider     text,
    detail       text,
    at           timestamptz not null
);
create index delivery_history_by_delivery on delivery_history (delivery_id, id);

-- The in-app feed: one entry per in-app delivery (same id), newest first per customer.
create table feed_entries (
    id           uuid        primary key references notification_deliveries (id),
    customer_id  text        not null,
    title        text        not null,
    body         text        not null,
    created_at   timestamptz not null,
    read_at      timestamptz
);
create index feed_entries_by_customer on feed_entries (customer_id, created_at desc, id desc);
create index feed_entries_unread on feed_entries (customer_id) where read_at is null;

-- The e-mails sent before this service existed become notifications of their own.
insert into notifications (id, event_key, recipient, template, template_version, locale, priority, order_id, data,
                           created_at)
select id, order_id || ':' || template, coalesce(customer_id, ''), split_part(template, ':', 1), 1, 'en',
       'TRANSACTIONAL', order_id, '{}'::jsonb, created_at
from deliveries;
insert into notification_deliveries (id, notification_id, channel, priority, status, provider, subject, body, attempts,
                                     updated_at)
select id, id, 'EMAIL', 'TRANSACTIONAL', status, 'smtp', subject, body, 1, created_at
from deliveries;
insert into delivery_history (delivery_id, status, provider, detail, at)
select id, status, 'smtp', failure_reason, created_at
from deliveries;
drop table deliveries;
