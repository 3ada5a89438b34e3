-- The payment module's books: one payment per order, as the provider (PSP) reports it, and a
-- double-entry ledger of every money movement. Nothing outside the payment module reads these.

-- One row per order. Written in the same transaction as the reply to the command that caused
-- the change; a PSP call whose result was never recorded is repeated with the same
-- idempotency key, so the provider answers it again instead of doing it twice.
create table payments (
    order_id              text        primary key,
    payment_id            text        not null unique,
    customer_id           text,
    psp_authorization_id  text        unique,
    status                text        not null check (status in ('AUTHORIZED', 'DECLINED', 'AUTHORIZATION_UNKNOWN',
                                          'CAPTURED', 'VOIDED', 'REFUNDED', 'CANCELLED')),
    amount_minor          bigint      check (amount_minor >= 0),
    currency              char(3),
    captured_minor        bigint      not null default 0,
    refunded_minor        bigint      not null default 0,
    -- The reason given to the saga when the payment was answered as declined (it stays when the
    -- provider is later found to hold something, which is then voided).
    decline_reason        text,
    -- Payments answered as "nothing held" without the provider's word for it are looked up by
    -- reference until watch_until; anything found is voided or refunded.
    watch_until           timestamptz,
    next_check_at         timestamptz,
    check_attempts        integer     not null default 0,
    created_at            timestamptz not null,
    updated_at            timestamptz not null,
    constraint amount_known check (status = 'CANCELLED' or (amount_minor is not null and currency is not null)),
    -- Never more captured than authorized, never more refunded than captured.
    constraint captured_within_authorized check (captured_minor between 0 and coalesce(amount_minor, 0)),
    constraint refunded_within_captured check (refunded_minor between 0 and captured_minor)
);

create index payments_to_check on payments (next_check_at) where next_check_at is not null;

-- A money movement: the entries of one transaction sum to zero. One of each kind per order at
-- most, so a repeated command or a second look at the provider never books a movement twice.
create table ledger_transactions (
    id                    uuid        primary key,
    order_id              text        not null,
    kind                  text        not null check (kind in ('AUTHORIZE', 'VOID', 'CAPTURE', 'REFUND')),
    psp_authorization_id  text,
    created_at            timestamptz not null,
    constraint one_kind_per_order unique (order_id, kind)
);

-- Signed amounts: a debit is positive, a credit negative.
create table ledger_entries (
    id              bigint      generated always as identity primary key,
    transaction_id  uuid        not null references ledger_transactions (id),
    order_id        text        not null,
    account         text        not null check (account in ('customer_funds_held', 'customer_funds_held_offset',
                                    'psp_receivable', 'revenue')),
    amount_minor    bigint      not null check (amount_minor <> 0),
    currency        char(3)     not null,
    created_at      timestamptz not null
);

create index ledger_entries_by_transaction on ledger_entries (transaction_id);
create index ledger_entries_by_order on ledger_entries (order_id, id);

-- Checked at commit, once all entries of a transaction are in: they sum to zero, in one currency.
create function check_ledger_transaction_balanced() returns trigger
    language plpgsql as $$
declare
    total      numeric;
    currencies integer;
begin
    select coalesce(sum(amount_minor), 0), count(distinct currency) into total, currencies
    from payment.ledger_entries where transaction_id = new.transaction_id;
    if total <> 0 then
        raise exception 'ledger transaction % does not balance: its entries sum to %', new.transaction_id, total
            using errcode = 'check_violation';
    end if;
    if currencies <> 1 then
        raise exception 'ledger transaction % mixes % currencies', new.transaction_id, currencies
            using errcode = 'check_violation';
    end if;
    return null;
end
$$;

create constraint trigger ledger_transaction_balanced
    after insert on ledger_entries
    deferrable initially deferred
    for each row execute function check_ledger_transaction_balanced();

-- The ledger is append-only: a mistake is corrected by a new transaction, never by an edit.
create function refuse_ledger_change() returns trigger
    language plpgsql as $$
begin
    raise exception 'the ledger is append-only: % on % refused', tg_op, tg_table_name
        using errcode = 'restrict_violation';
end
$$;

create trigger ledger_entries_append_only
    before update or delete on ledger_entries
    for each row execute function refuse_ledger_change();

create trigger ledger_transactions_append_only
    before update or delete on ledger_transactions
    for each row execute function refuse_ledger_change();
