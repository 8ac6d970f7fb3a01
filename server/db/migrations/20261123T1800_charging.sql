-- Charging (#7): charging plans per account, one per subaccount, rate decks
-- imported from CSV, and the initial credit a prepaid plan gives once.

-- A plan's rules are one JSON document validated by billing's zod schema
-- (server/billing/plan.ts), so the rules read in one place; the columns here
-- are what SQL needs to find and protect it.
CREATE TABLE charging_plans (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id  uuid NOT NULL CONSTRAINT fk_charging_plans__account_id REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL,
  definition  jsonb NOT NULL,
  -- the plan for calls no subaccount pays for (a number forwarded out, a hunt
  -- group's external member) and for subaccounts without a plan of their own
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_charging_plans__name UNIQUE (account_id, name)
);
CREATE UNIQUE INDEX uq_charging_plans__is_default ON charging_plans (account_id) WHERE is_default;

ALTER TABLE subaccounts
  ADD COLUMN charging_plan_id uuid CONSTRAINT fk_subaccounts__charging_plan_id REFERENCES charging_plans (id) ON DELETE RESTRICT;
CREATE INDEX subaccounts_charging_plan ON subaccounts (charging_plan_id) WHERE charging_plan_id IS NOT NULL;

-- A prepaid plan's initial credit is given once per subaccount and plan, however
-- often the plan is assigned, removed and assigned again.
CREATE TABLE initial_credits (
  subaccount_id     uuid NOT NULL REFERENCES subaccounts (id) ON DELETE CASCADE,
  charging_plan_id  uuid NOT NULL REFERENCES charging_plans (id) ON DELETE CASCADE,
  ledger_entry_id   bigint NOT NULL REFERENCES ledger_entries (id),
  PRIMARY KEY (subaccount_id, charging_plan_id)
);

-- Rate decks: a carrier's price list. Rows are written in batches while the
-- deck is 'importing' (progress visible to other requests); rating reads only
-- 'ready' decks, so a deck is never half in use. The deck in force at a moment
-- is the newest ready deck whose effective_from has passed; inside it each row
-- has its own effective date (versions of a prefix).
CREATE TABLE rate_decks (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name            text NOT NULL,
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  effective_from  timestamptz NOT NULL,
  status          text NOT NULL CHECK (status IN ('importing', 'ready', 'failed')),
  rows_total      integer NOT NULL CHECK (rows_total >= 0),
  rows_done       integer NOT NULL DEFAULT 0 CHECK (rows_done >= 0),
  prefix_count    integer NOT NULL DEFAULT 0,
  failure         text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  ready_at        timestamptz,
  created_by      text NOT NULL
);
CREATE INDEX rate_decks_ready ON rate_decks (effective_from DESC) WHERE status = 'ready';

CREATE TABLE rate_deck_rows (
  deck_id                 uuid NOT NULL REFERENCES rate_decks (id) ON DELETE CASCADE,
  prefix                  text NOT NULL CHECK (prefix ~ '^[1-9][0-9]{0,14}$'),
  destination             text NOT NULL,
  cost_per_minute_micros  bigint NOT NULL CHECK (cost_per_minute_micros >= 0),
  connection_fee_micros   bigint NOT NULL CHECK (connection_fee_micros >= 0),
  first_increment_s       integer NOT NULL CHECK (first_increment_s >= 1),
  next_increment_s        integer NOT NULL CHECK (next_increment_s >= 1),
  effective_from          timestamptz NOT NULL,
  PRIMARY KEY (deck_id, prefix, effective_from)
);
