-- Token buckets of the rate limits shared by every instance (Bucket4j's PostgreSQL store: the
-- state is Bucket4j's own serialisation; expires_at in epoch milliseconds, after which a bucket
-- is full again and its row may be purged).

create table rate_limit_buckets (
    id          text   primary key,
    state       bytea,
    expires_at  bigint
);

create index rate_limit_buckets_expiry on rate_limit_buckets (expires_at);
