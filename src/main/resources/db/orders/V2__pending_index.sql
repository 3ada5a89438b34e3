-- The orders still in checkout, counted often to bound the backlog (see OrderBacklog).
create index orders_pending on orders (id) where status = 'PENDING';
