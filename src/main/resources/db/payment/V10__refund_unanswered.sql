-- A refund the provider has not answered for longer than we may ask it again with the same key
-- (orderly.payment.refund-retry-limit, below the provider's key lifetime) is not asked again: it
-- might have been done with its answer lost, and a new request after the provider forgot the key
-- would refund twice. It waits for an operator, who looks it up at the provider.
alter table refunds drop constraint refunds_status_check;
alter table refunds add constraint refunds_status_check check (status in ('PENDING', 'SUCCEEDED', 'REFUSED', 'UNANSWERED'));
