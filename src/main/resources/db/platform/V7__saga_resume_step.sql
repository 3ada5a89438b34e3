-- A saga being compensated because it was cancelled (or a step missed its deadline) remembers
-- where its forward path stood: the step it was running, or the number of steps when it had completed. If a compensation answers
-- that its step can no longer be undone (the saga passed its point of no return, e.g. a
-- shipment already dispatched), the cancellation is refused and the saga goes back there.
-- Null when the compensation began for a step's failure: then a refusal goes to an operator.
alter table sagas add column resume_step int;
