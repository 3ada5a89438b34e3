-- A broadcast: one template and data to every recipient of a segment, each as a notification of its
-- own (event key broadcast:<id>:<customer>, so a broadcast asked again queues nothing twice).
create table broadcasts (
    id          uuid        primary key,
    event_key   text        not null unique,
    template    text        not null,
    priority    text        not null,
    segment     jsonb       not null,
    recipients  int         not null,
    created_at  timestamptz not null
);
alter table notifications add column broadcast_id uuid references broadcasts (id);
create index notifications_by_broadcast on notifications (broadcast_id) where broadcast_id is not null;
create index recipients_by_locale on recipients (locale);
