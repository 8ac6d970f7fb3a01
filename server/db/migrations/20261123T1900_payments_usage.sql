-- Payment methods, usage charges (threshold alerts, auto-recharge), the outbox
-- of notifications, and the rest of the account settings (seeds 002 and 003).

-- Account settings: contacts and how phone numbers are shown.
ALTER TABLE accounts ADD COLUMN technical_contact jsonb;
ALTER TABLE accounts ADD COLUMN billing_contact jsonb;
ALTER TABLE accounts ADD COLUMN number_format text NOT NULL DEFAULT 'international'
  CHECK (number_format IN ('international', 'national', 'international_with_national_for'));
ALTER TABLE accounts ADD COLUMN number_format_countries text[] NOT NULL DEFAULT '{}';

-- A card as the payment provider holds it: only the provider's token and what
-- may be shown (brand, last four, expiry). Never a card number.
CREATE TABLE payment_methods (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  provider    text NOT NULL,
  token       text NOT NULL,
  brand       text NOT NULL,
  last4       text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month   integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year    integer NOT NULL CHECK (exp_year BETWEEN 2000 AND 2200),
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_payment_methods__token UNIQUE (provider, token)
);
-- at most one card per account is charged for recurring billing
CREATE UNIQUE INDEX uq_payment_methods__default ON payment_methods (account_id) WHERE is_default;
CREATE INDEX payment_methods_account ON payment_methods (account_id);

-- Usage charges per account. The row is also what a check of the account
-- locks FOR UPDATE, so checks of one account (any process) take turns.
CREATE TABLE usage_settings (
  account_id               uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  alert_threshold_minor    bigint,
  alert_emails             text[] NOT NULL DEFAULT '{}',
  webhook_url              text,
  webhook_secret_enc       text,
  recharge_enabled         boolean NOT NULL DEFAULT false,
  recharge_below_minor     bigint NOT NULL DEFAULT 0,
  recharge_amount_minor    bigint NOT NULL DEFAULT 0 CHECK (recharge_amount_minor >= 0),
  recharge_max_per_day     integer NOT NULL DEFAULT 1 CHECK (recharge_max_per_day BETWEEN 1 AND 24),
  -- true while the balance is at or above the threshold: the next fall below alerts once
  alert_armed              boolean NOT NULL DEFAULT true,
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT recharge_enabled OR recharge_amount_minor > 0)
);

-- Every charge of a card: manual top-ups and auto-recharge attempts. An
-- attempt row is written (pending) before the provider is asked, under a
-- unique key, so a repeated or concurrent job never charges twice; the key is
-- also the provider's idempotency key.
CREATE TABLE payment_charges (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id         uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  payment_method_id  uuid REFERENCES payment_methods (id) ON DELETE SET NULL,
  kind               text NOT NULL CHECK (kind IN ('topup', 'auto_recharge')),
  idempotency_key    text NOT NULL CONSTRAINT uq_payment_charges__idempotency_key UNIQUE,
  -- auto-recharge: the account's local day and the attempt's number that day
  day                text CHECK (day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  seq                integer,
  amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'declined', 'expired')),
  reason             text,
  ledger_entry_id    bigint,
  created_at         timestamptz NOT NULL DEFAULT now(),
  completed_at       timestamptz,
  CONSTRAINT uq_payment_charges__day UNIQUE (account_id, day, seq),
  CHECK ((kind = 'auto_recharge') = (day IS NOT NULL AND seq IS NOT NULL))
);
CREATE INDEX payment_charges_account ON payment_charges (account_id, created_at DESC);

CREATE TABLE usage_alerts (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id     uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('balance_below_threshold', 'recharge_declined')),
  balance_minor  bigint NOT NULL,
  threshold_minor bigint,
  currency       text,
  message        text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX usage_alerts_account ON usage_alerts (account_id, created_at DESC);

-- Notifications to send: emails (kept here when no SMTP server is configured)
-- and webhook calls, each with its delivery state. Failed deliveries are
-- retried by the usage job a bounded number of times.
CREATE TABLE outbox (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id       uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  alert_id         uuid REFERENCES usage_alerts (id) ON DELETE SET NULL,
  channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
  recipient        text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'stored', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  response_status  integer,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX outbox_account ON outbox (account_id, created_at DESC);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';
