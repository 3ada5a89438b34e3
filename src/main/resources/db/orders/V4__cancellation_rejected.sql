-- Why a customer's cancellation was refused after it had been accepted (the shipment had left
-- first): the order stays CONFIRMED and says why.
alter table orders add column cancellation_rejected_reason text;
