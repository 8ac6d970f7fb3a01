-- Balances and the ledger (charging, #7). Funds belong to the account and are
-- shared by its subaccounts. Every change to a balance is an append-only
-- ledger entry, written in the same transaction that updates the balance row;
-- the balance is the sum of the account's entries. Amounts are integer minor
-- units of the account's currency, signed: credits > 0, debits < 0.
-- balance_minor has no CHECK (>= 0): postpaid accounts may go negative; the
-- service keeps prepaid accounts from overdrawing (authorization reserves).
CREATE TABLE ledger_entries (
  id             bigserial PRIMARY KEY,
  account_id     uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  subaccount_id  uuid REFERENCES subaccounts (id) ON DELETE SET NULL,
  kind           text NOT NULL CHECK (kind IN ('topup', 'initial_credit', 'call_charge', 'subscription', 'proration', 'refund', 'adjustment')),
  amount_minor   bigint NOT NULL,
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- the call a call_charge is for (and only a call_charge has one): unique, so a
  -- repeated CDR cannot charge a call twice
  call_uuid      uuid CONSTRAINT uq_ledger_entries__call_uuid UNIQUE,
  memo           text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     text NOT NULL,
  CONSTRAINT ck_ledger_entries__call_uuid CHECK ((kind = 'call_charge') = (call_uuid IS NOT NULL)),
  CONSTRAINT ck_ledger_entries__amount_minor CHECK (
    amount_minor <> 0
    AND (kind NOT IN ('topup', 'initial_credit', 'refund') OR amount_minor > 0)
    AND (kind NOT IN ('call_charge', 'subscription') OR amount_minor < 0)
  )
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, created_at DESC, id DESC);
CREATE INDEX ledger_entries_subaccount ON ledger_entries (subaccount_id, created_at DESC) WHERE subaccount_id IS NOT NULL;

-- One row per account that has ever had an entry; locked FOR UPDATE by every
-- operation that checks or changes the account's funds.
CREATE TABLE account_balances (
  account_id     uuid PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  balance_minor  bigint NOT NULL DEFAULT 0,
  currency       text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- What an authorized paid call holds of the balance until its CDR is settled.
CREATE TABLE call_reservations (
  call_uuid       uuid PRIMARY KEY,
  account_id      uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  subaccount_id   uuid REFERENCES subaccounts (id) ON DELETE SET NULL,
  reserved_minor  bigint NOT NULL CHECK (reserved_minor >= 0),
  max_seconds     integer NOT NULL CHECK (max_seconds >= 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  released_at     timestamptz
);
CREATE INDEX call_reservations_active ON call_reservations (account_id) WHERE released_at IS NULL;
CREATE INDEX call_reservations_subaccount_active ON call_reservations (subaccount_id) WHERE released_at IS NULL;

-- Optional: the most a subaccount's calls may hold of the shared funds at once.
CREATE TABLE subaccount_credit_limits (
  subaccount_id  uuid PRIMARY KEY REFERENCES subaccounts (id) ON DELETE CASCADE,
  limit_minor    bigint NOT NULL CHECK (limit_minor >= 0)
);
