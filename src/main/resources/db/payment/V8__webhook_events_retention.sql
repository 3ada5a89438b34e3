-- Webhook events are kept only as long as the provider may deliver them again
-- (orderly.payment.webhooks.retention): the purge finds the old ones by this index.
create index webhook_events_received on webhook_events (received_at);
