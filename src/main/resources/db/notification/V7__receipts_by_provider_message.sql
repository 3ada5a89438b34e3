-- A provider's receipt names its message: find the delivery by it. Without this index every
-- receipt read the whole table (at 100,000 deliveries PostgreSQL spent most of two cores on it).
create index notification_deliveries_by_provider_message on notification_deliveries (provider, provider_message)
    where provider_message is not null;
