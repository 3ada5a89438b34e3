-- Captures wait for the provider too (an outage after authorization): the same table, by operation.
alter table pending_authorizations add column operation text not null default 'AUTHORIZE'
    check (operation in ('AUTHORIZE', 'CAPTURE'));
alter table pending_authorizations alter column payment_token drop not null;
