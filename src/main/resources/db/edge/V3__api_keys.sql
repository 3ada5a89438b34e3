-- API keys of machine clients. The secret is shown once and kept only as its SHA-256 (keys are
-- 256 random bits, so a fast hash is as safe as a slow one and costs nothing per request).
-- A rotation keeps the previous secret valid until previous_valid_until.

create table api_keys (
    id                    text        primary key,
    name                  text        not null,
    scope                 text        not null check (scope in ('read', 'read-write')),
    tier                  text        not null check (tier in ('free', 'standard', 'premium')),
    tenant                text,                  -- shares a rate limit with the tenant's other callers
    secret_hash           text        not null unique,
    secret_hint           text        not null,  -- the first characters, to recognise a key
    previous_secret_hash  text        unique,
    previous_valid_until  timestamptz,
    created_at            timestamptz not null,
    created_by            text        not null,
    rotated_at            timestamptz,
    expires_at            timestamptz not null,
    revoked_at            timestamptz,
    revoked_by            text
);
