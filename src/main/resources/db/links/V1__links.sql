-- Short links. A code's row is never deleted: deleting or purging a link clears its target
-- but keeps the code, so the primary key keeps it from ever being given out again.
create table links (
    code        text primary key,
    url         text,
    custom      boolean     not null,
    created_at  timestamptz not null,
    expires_at  timestamptz,
    deleted_at  timestamptz,
    purged_at   timestamptz,
    check (url is not null or purged_at is not null)
);

-- What the retention job looks for: links past their expiry or deleted, not yet purged.
create index links_to_purge on links (coalesce(deleted_at, expires_at)) where purged_at is null;

-- Click totals, flushed in batches from each instance's in-memory counters.
create table clicks (
    code           text primary key references links (code),
    clicks         bigint      not null check (clicks >= 0),
    last_click_at  timestamptz not null
);

-- Hands each running instance a distinct generator number at startup (no round trip per code).
create sequence generators;
