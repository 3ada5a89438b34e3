-- Digests: a template marked digest=<window> reaches a recipient on a channel at most once per
-- window; what arrives meanwhile is held here and goes out as one message when the window ends.
create table digest_windows (
    recipient     text        not null,
    channel       text        not null,
    window_start  timestamptz not null,
    primary key (recipient, channel)
);
create table digests (
    id               uuid        primary key,
    recipient        text        not null,
    channel          text        not null,
    window_end       timestamptz not null,
    status           text        not null check (status in ('OPEN', 'SENT')),
    notification_id  uuid        references notifications (id),
    created_at       timestamptz not null
);
create unique index one_open_digest_per_recipient_and_channel on digests (recipient, channel) where status = 'OPEN';
create index digests_due on digests (window_end) where status = 'OPEN';
alter table notification_deliveries add column digest_id uuid references digests (id);
