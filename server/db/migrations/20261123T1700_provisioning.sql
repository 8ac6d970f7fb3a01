-- The provisioning service (#6): per-account URL keys and allow lists, the
-- per-device facts a phone's configuration needs beyond its lines, the audit of
-- every fetch, unknown MACs seen with a valid key, misses and bans of sources
-- that guess, and files devices upload. Rendered files are never stored: they
-- are rendered from these rows on each request.

-- One row per account that has a provisioning URL. The key is kept sealed (the
-- API shows the URL) and as an HMAC (the lookup a request does).
CREATE TABLE provisioning_accounts (
  account_id  uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  key_hash    text NOT NULL CONSTRAINT uq_provisioning_accounts__key_hash UNIQUE,
  key_enc     text NOT NULL,
  -- addresses / CIDR blocks devices may fetch from; empty: any
  allow       text[] NOT NULL DEFAULT '{}',
  rotated_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- What the vendor-neutral description needs that devices and lines lack.
CREATE TABLE device_provisioning (
  device_id          uuid PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  -- the phone's own web UI password, random per device, sealed like SIP passwords
  admin_password_enc text NOT NULL,
  -- optional HTTP digest credentials the device must present to fetch
  http_user          text,
  http_password_enc  text,
  language           text NOT NULL DEFAULT 'en',
  codecs             text[] NOT NULL DEFAULT '{G722,PCMA,PCMU}',
  function_keys      jsonb NOT NULL DEFAULT '[]',
  -- per line number: { "1": { "displayName": "...", "label": "..." } }
  line_labels        jsonb NOT NULL DEFAULT '{}',
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_device_provisioning__http CHECK ((http_user IS NULL) = (http_password_enc IS NULL))
);

-- Every request to the provisioning listener; `result` says what it got.
CREATE TABLE provisioning_fetches (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  account_id  uuid REFERENCES accounts (id) ON DELETE CASCADE,
  device_id   uuid REFERENCES devices (id) ON DELETE CASCADE,
  mac         text,
  address     text NOT NULL,
  user_agent  text NOT NULL DEFAULT '',
  file        text NOT NULL,
  result      text NOT NULL
);
-- the one index: every fetch is a row, written in batches at the listener's rate
CREATE INDEX provisioning_fetches_device ON provisioning_fetches (device_id, address, id) WHERE device_id IS NOT NULL;

-- Failed checks per source address; `target` tells repeats of one mistake
-- (a misconfigured phone retrying) from guesses of many MACs or keys.
CREATE TABLE provisioning_misses (
  address     text NOT NULL,
  target      text NOT NULL,
  account_id  uuid REFERENCES accounts (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provisioning_misses_address ON provisioning_misses (address, at);

-- Same pattern as sip_bans, in a table of its own: a provisioning ban is
-- attributed to the account whose key the guesses used (so its admins see and
-- lift it), and lifting it must not lift a SIP ban or the other way round.
CREATE TABLE provisioning_bans (
  address       text PRIMARY KEY,
  account_id    uuid REFERENCES accounts (id) ON DELETE SET NULL,
  reason        text NOT NULL,
  banned_until  timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provisioning_bans_account ON provisioning_bans (account_id) WHERE account_id IS NOT NULL;

-- Unknown MACs that presented a valid account key, for an admin to claim.
CREATE TABLE provisioning_discovered (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id    uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  mac           text NOT NULL,
  vendor        text NOT NULL,
  model         text NOT NULL DEFAULT '',
  user_agent    text NOT NULL DEFAULT '',
  address       text NOT NULL,
  first_seen    timestamptz NOT NULL DEFAULT now(),
  last_seen     timestamptz NOT NULL DEFAULT now(),
  dismissed_at  timestamptz,
  CONSTRAINT uq_provisioning_discovered__account_mac UNIQUE (account_id, mac)
);

-- Files devices upload (Polycom logs and overrides): kept for admins, never served.
CREATE TABLE provisioning_uploads (
  id          bigserial PRIMARY KEY,
  device_id   uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  file        text NOT NULL,
  body        bytea NOT NULL,
  address     text NOT NULL,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provisioning_uploads_device ON provisioning_uploads (device_id, at DESC);
