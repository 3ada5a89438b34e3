-- The embedded issuer's state: signing keys, people, clients and the authorizations it
-- granted (codes, access and refresh tokens). Spring Authorization Server's own tables
-- keep its column names; PostgreSQL wants text for its blobs and timestamptz for instants.

create table signing_keys (
    kid          text primary key,
    jwk          text        not null,   -- the key pair as a JWK (private part included)
    created_at   timestamptz not null,
    active_from  timestamptz not null,   -- signs tokens from here on (published earlier)
    retire_at    timestamptz             -- no longer published nor accepted after this
);

create table users (
    username  varchar(200) primary key,
    password  varchar(500) not null,
    enabled   boolean      not null
);

create table authorities (
    username  varchar(200) not null references users (username) on delete cascade,
    authority varchar(50)  not null,
    primary key (username, authority)
);

create table oauth2_registered_client (
    id varchar(100) not null primary key,
    client_id varchar(100) not null unique,
    client_id_issued_at timestamptz default current_timestamp not null,
    client_secret varchar(200) default null,
    client_secret_expires_at timestamptz default null,
    client_name varchar(200) not null,
    client_authentication_methods varchar(1000) not null,
    authorization_grant_types varchar(1000) not null,
    redirect_uris varchar(1000) default null,
    post_logout_redirect_uris varchar(1000) default null,
    scopes varchar(1000) not null,
    client_settings varchar(2000) not null,
    token_settings varchar(2000) not null
);

create table oauth2_authorization (
    id varchar(100) not null primary key,
    registered_client_id varchar(100) not null,
    principal_name varchar(200) not null,
    authorization_grant_type varchar(100) not null,
    authorized_scopes varchar(1000) default null,
    attributes text default null,
    state varchar(500) default null,
    authorization_code_value text default null,
    authorization_code_issued_at timestamptz default null,
    authorization_code_expires_at timestamptz default null,
    authorization_code_metadata text default null,
    access_token_value text default null,
    access_token_issued_at timestamptz default null,
    access_token_expires_at timestamptz default null,
    access_token_metadata text default null,
    access_token_type varchar(100) default null,
    access_token_scopes varchar(1000) default null,
    oidc_id_token_value text default null,
    oidc_id_token_issued_at timestamptz default null,
    oidc_id_token_expires_at timestamptz default null,
    oidc_id_token_metadata text default null,
    refresh_token_value text default null,
    refresh_token_issued_at timestamptz default null,
    refresh_token_expires_at timestamptz default null,
    refresh_token_metadata text default null,
    user_code_value text default null,
    user_code_issued_at timestamptz default null,
    user_code_expires_at timestamptz default null,
    user_code_metadata text default null,
    device_code_value text default null,
    device_code_issued_at timestamptz default null,
    device_code_expires_at timestamptz default null,
    device_code_metadata text default null
);

create table oauth2_authorization_consent (
    registered_client_id varchar(100) not null,
    principal_name varchar(200) not null,
    authorities varchar(1000) not null,
    primary key (registered_client_id, principal_name)
);
