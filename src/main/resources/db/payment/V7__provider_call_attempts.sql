-- Each attempt of a provider call has its own id: an answer is recorded only by the attempt that
-- holds the call (an attempt whose lease passed while it waited for the provider is overtaken by
-- the next one, and its late answer, whatever it says, decides nothing). failures counts the
-- attempts that ended in an error of ours (not the provider's): past a few, the call is given up
-- as unanswered instead of being made again forever. pending_told: the saga was told
-- PaymentPending for this authorization (once, whichever attempt first had no answer).
alter table provider_calls
    add column attempt_id   uuid,
    add column failures     integer not null default 0,
    add column pending_told boolean not null default false;

-- Rows carried over from pending_authorizations (attempts 0) were told by the previous version;
-- those past their first attempt were told by V6's code when that attempt had no answer.
update provider_calls set pending_told = true where operation = 'AUTHORIZE' and attempts <> 1;
