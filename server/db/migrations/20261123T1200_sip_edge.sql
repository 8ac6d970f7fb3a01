-- The SIP edge: registrations (bindings) that survive restarts and are shared by
-- every callplane process, digest nonce-counts, and address bans.

CREATE TABLE registrations (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subaccount_id   uuid NOT NULL REFERENCES subaccounts (id) ON DELETE CASCADE,
  account_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- the Contact URI exactly as the device sent it
  contact         text NOT NULL,
  instance_id     text,
  reg_id          integer,
  call_id         text NOT NULL,
  cseq            integer NOT NULL,
  source_address  text NOT NULL,
  source_port     integer NOT NULL,
  transport       text NOT NULL,
  user_agent      text NOT NULL DEFAULT '',
  expires_at      timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_registrations__contact UNIQUE (subaccount_id, contact)
);
CREATE INDEX registrations_subaccount ON registrations (subaccount_id, expires_at);
CREATE INDEX registrations_expiry ON registrations (expires_at);

-- The highest nonce-count seen per nonce: a repeated count is a replay.
CREATE TABLE sip_nonce_counts (
  nonce       text PRIMARY KEY,
  nc          bigint NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sip_nonce_counts_expiry ON sip_nonce_counts (expires_at);

CREATE TABLE sip_auth_failures (
  address  text NOT NULL,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sip_auth_failures_address ON sip_auth_failures (address, at);

CREATE TABLE sip_bans (
  address       text PRIMARY KEY,
  reason        text NOT NULL,
  banned_until  timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
