-- Set while the order's payment waits for a provider that cannot be reached (PaymentPending).
alter table orders add column payment_pending_until timestamptz;
