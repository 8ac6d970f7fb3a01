-- Calls through the SIP edge: which device a binding belongs to (its ring flag
-- decides whether it rings), the account's trunk limits (seed 003), and the
-- calls in progress that count against them, shared by every process.

ALTER TABLE registrations ADD COLUMN device_id uuid REFERENCES devices (id) ON DELETE SET NULL;

-- NULL: unlimited. Inbound trunks carry only calls from carriers, outbound only
-- calls to them; two-way trunks carry either.
ALTER TABLE accounts ADD COLUMN trunks_inbound integer CHECK (trunks_inbound >= 0);
ALTER TABLE accounts ADD COLUMN trunks_outbound integer CHECK (trunks_outbound >= 0);
ALTER TABLE accounts ADD COLUMN trunks_twoway integer CHECK (trunks_twoway >= 0);

CREATE TABLE active_calls (
  call_id     text PRIMARY KEY,
  account_id  uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  direction   text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  started_at  timestamptz NOT NULL DEFAULT now(),
  -- refreshed while the call lasts, so calls of a crashed process age out
  seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX active_calls_account ON active_calls (account_id, direction);
