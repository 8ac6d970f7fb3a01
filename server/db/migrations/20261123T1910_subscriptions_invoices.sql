-- Subscriptions, the local number inventory and monthly invoices (#8, seeds 001–003).
-- Money in integer minor units. A subscription's recurring charge and every
-- mid-period change are ledger entries (kinds subscription / proration); an
-- invoice is the statement of one account's ledger over one billing period.

-- What an operator or reseller (or one account, as an override) charges per
-- billed user (seat) per month. The nearest price list up an account's lineage applies.
CREATE TABLE price_lists (
  account_id        uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  seat_price_minor  bigint NOT NULL CHECK (seat_price_minor >= 0),
  updated_at        timestamptz NOT NULL DEFAULT now()
);

-- What an account subscribes to: billed users (seats) and local numbers. A change
-- of quantity ends the open seat item and starts a new one, so the history stays.
CREATE TABLE subscription_items (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id        uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('seat', 'number')),
  quantity          integer NOT NULL CHECK (quantity > 0),
  unit_price_minor  bigint NOT NULL CHECK (unit_price_minor >= 0),
  currency          text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- number items: the number (no FK: the phone_numbers row goes when the number is released)
  phone_number_id   uuid,
  e164              text,
  started_at        timestamptz NOT NULL,
  ended_at          timestamptz,
  CHECK ((kind = 'number') = (e164 IS NOT NULL AND phone_number_id IS NOT NULL)),
  CHECK (kind = 'seat' OR quantity = 1),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX uq_subscription_items__seats ON subscription_items (account_id) WHERE kind = 'seat' AND ended_at IS NULL;
CREATE UNIQUE INDEX uq_subscription_items__number ON subscription_items (phone_number_id) WHERE ended_at IS NULL;
CREATE INDEX subscription_items_account ON subscription_items (account_id, started_at);

-- The recurring charge of a period, posted once per account (the billing job
-- inserts this row in the transaction that posts the charge).
CREATE TABLE subscription_charges (
  account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  period      text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  charged_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, period)
);

-- Local numbers the operator has in stock; sold ones name their account.
CREATE TABLE number_inventory (
  e164               text PRIMARY KEY CHECK (e164 ~ '^\+[1-9][0-9]{1,14}$'),
  area_code          text NOT NULL CHECK (area_code ~ '^[0-9]{1,6}$'),
  monthly_fee_minor  bigint NOT NULL CHECK (monthly_fee_minor >= 0),
  setup_fee_minor    bigint NOT NULL CHECK (setup_fee_minor >= 0),
  account_id         uuid REFERENCES accounts (id) ON DELETE SET NULL,
  phone_number_id    uuid,
  sold_at            timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((sold_at IS NULL) = (phone_number_id IS NULL))
);
CREATE INDEX number_inventory_available ON number_inventory (area_code, e164) WHERE sold_at IS NULL;

-- One invoice per account per billing period (a calendar month in the
-- account's timezone); the document is the frozen statement, totals beside it.
CREATE TABLE invoices (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  period          text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  period_start    timestamptz NOT NULL,
  period_end      timestamptz NOT NULL,
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  subtotal_minor  bigint NOT NULL,
  tax_rate_bp     integer NOT NULL CHECK (tax_rate_bp >= 0),
  tax_minor       bigint NOT NULL,
  total_minor     bigint NOT NULL,
  document        jsonb NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_invoices__period UNIQUE (account_id, period)
);
CREATE INDEX invoices_account ON invoices (account_id, period DESC);
