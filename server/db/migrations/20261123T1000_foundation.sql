-- Foundation: the tenancy tree, web logins, subaccounts, devices, numbers, audit.
-- Constraint names follow uq_<table>__<field> / fk_<table>__<field> so that a
-- violation maps to the API field it concerns (server/db/errors.ts).

CREATE TABLE accounts (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  parent_id   uuid CONSTRAINT fk_accounts__parent_id REFERENCES accounts (id),
  -- ancestors from the root down to and including this account
  lineage     uuid[] NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('operator', 'reseller', 'account')),
  name        text NOT NULL,
  realm       text NOT NULL CONSTRAINT uq_accounts__realm UNIQUE,
  timezone    text NOT NULL,
  country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'closed')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'operator') = (parent_id IS NULL))
);
CREATE UNIQUE INDEX uq_accounts__operator ON accounts (kind) WHERE kind = 'operator';
CREATE INDEX accounts_lineage ON accounts USING gin (lineage);
CREATE INDEX accounts_parent ON accounts (parent_id);

-- Network numbers: 10 followed by six digits, unique on the whole system.
CREATE SEQUENCE network_number_seq MINVALUE 1 MAXVALUE 999999 START 1 NO CYCLE;

CREATE TABLE subaccounts (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id               uuid NOT NULL CONSTRAINT fk_subaccounts__account_id REFERENCES accounts (id),
  kind                     text NOT NULL CHECK (kind IN ('phone', 'conference')),
  name                     text NOT NULL,
  sip_user                 text NOT NULL,
  sip_password_enc         text NOT NULL,
  extension                text NOT NULL CHECK (extension ~ '^[0-9]{2,6}$'),
  network_number           text NOT NULL CONSTRAINT uq_subaccounts__network_number UNIQUE
                           DEFAULT ('10' || lpad(nextval('network_number_seq')::text, 6, '0')),
  caller_id_name           text,
  caller_id_number         text,
  conference_passcode_enc  text,
  cost_centre              text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_subaccounts__sip_user UNIQUE (account_id, sip_user),
  CONSTRAINT uq_subaccounts__extension UNIQUE (account_id, extension),
  CHECK (network_number ~ '^10[0-9]{6}$'),
  CHECK ((kind = 'conference') = (conference_passcode_enc IS NOT NULL))
);
CREATE INDEX subaccounts_account ON subaccounts (account_id);

CREATE TABLE users (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id     uuid NOT NULL CONSTRAINT fk_users__account_id REFERENCES accounts (id),
  email          text NOT NULL CONSTRAINT uq_users__email UNIQUE,
  name           text NOT NULL DEFAULT '',
  password_hash  text NOT NULL,
  role           text NOT NULL CHECK (role IN ('operator', 'reseller', 'owner', 'admin', 'user')),
  subaccount_id  uuid CONSTRAINT fk_users__subaccount_id REFERENCES subaccounts (id) ON DELETE SET NULL,
  timezone       text,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (email = lower(email))
);
CREATE UNIQUE INDEX uq_users__owner ON users (account_id) WHERE role = 'owner';
CREATE INDEX users_account ON users (account_id);

CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family      uuid NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  revoked_at  timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

CREATE TABLE devices (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id  uuid NOT NULL CONSTRAINT fk_devices__account_id REFERENCES accounts (id),
  mac         text NOT NULL CONSTRAINT uq_devices__mac UNIQUE CHECK (mac ~ '^[0-9a-f]{12}$'),
  vendor      text NOT NULL,
  model       text NOT NULL,
  label       text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_account ON devices (account_id);

CREATE TABLE device_lines (
  device_id      uuid NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  line_no        integer NOT NULL CHECK (line_no BETWEEN 1 AND 64),
  subaccount_id  uuid NOT NULL REFERENCES subaccounts (id) ON DELETE CASCADE,
  ring           boolean NOT NULL DEFAULT true,
  PRIMARY KEY (device_id, line_no)
);
CREATE INDEX device_lines_subaccount ON device_lines (subaccount_id);

CREATE TABLE phone_numbers (
  id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id                  uuid NOT NULL CONSTRAINT fk_phone_numbers__account_id REFERENCES accounts (id),
  e164                        text NOT NULL CONSTRAINT uq_phone_numbers__e164 UNIQUE CHECK (e164 ~ '^\+[1-9][0-9]{1,14}$'),
  label                       text NOT NULL DEFAULT '',
  destination_subaccount_id   uuid CONSTRAINT fk_phone_numbers__destination
                              REFERENCES subaccounts (id) ON DELETE RESTRICT,
  created_at                  timestamptz NOT NULL DEFAULT now(),
  updated_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX phone_numbers_account ON phone_numbers (account_id);

-- Who changed what, when; before/after snapshots never hold a secret.
CREATE TABLE audit_log (
  id             bigserial PRIMARY KEY,
  at             timestamptz NOT NULL DEFAULT now(),
  actor_user_id  uuid,
  actor          text NOT NULL,
  account_id     uuid,
  entity         text NOT NULL,
  entity_id      text NOT NULL,
  action         text NOT NULL,
  before         jsonb,
  after          jsonb
);
CREATE INDEX audit_log_account ON audit_log (account_id, id DESC);
