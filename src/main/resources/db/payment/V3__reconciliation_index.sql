-- Reconciliation compares the payments that changed lately with the provider's records.
create index payments_by_update on payments (updated_at);
