-- Each priority has a queue per channel (workers claim by priority and channel): the index
-- that finds the due deliveries follows.
drop index notification_deliveries_due;
create index notification_deliveries_due on notification_deliveries (priority, channel, next_attempt_at)
    where status in ('QUEUED', 'HELD');
