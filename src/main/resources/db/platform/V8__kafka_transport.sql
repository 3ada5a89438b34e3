-- The Kafka transport (orderly.messaging.transport=kafka).

-- The publisher of the log to the broker keeps its position as a subscription row, so the log's
-- purge keeps every row it has not sent yet. One process at a time publishes: it holds a lease
-- (holder, lease_until) it renews with each batch, taken over by another when it lapses.
alter table subscriptions add column holder text, add column lease_until timestamptz;

-- A consumer group's position per topic partition, moved in the transaction that applies the
-- messages before it (with their effects and inbox rows): the broker's committed offsets are
-- only a copy for its tools.
create table kafka_offsets (
    consumer_group text   not null,
    topic          text   not null,
    partition      int    not null,
    next_offset    bigint not null,
    updated_at     timestamptz not null default clock_timestamp(),
    primary key (consumer_group, topic, partition)
);
