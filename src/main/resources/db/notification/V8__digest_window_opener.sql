-- The delivery that opened a digest window: given back untried (its round stopped early, or gave
-- way to the API) and claimed again, it is still the window's first message and goes, not held
-- for the digest it opened.
alter table digest_windows add column opened_by uuid;
