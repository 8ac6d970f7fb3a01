-- Service requests (tickets) and phone orders (seed 002): what an owner cannot
-- change in the portal goes through a request that staff work on; phones are
-- bought from a catalogue and become devices of the account when delivered.

-- A cancelled account closes at the end of its billing period, not at once.
ALTER TABLE accounts ADD COLUMN closes_at timestamptz;
CREATE INDEX accounts_closes_at ON accounts (closes_at) WHERE closes_at IS NOT NULL AND status <> 'closed';

CREATE TABLE service_requests (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id          uuid NOT NULL CONSTRAINT fk_service_requests__account_id REFERENCES accounts (id) ON DELETE CASCADE,
  kind                text NOT NULL CHECK (kind IN ('porting', 'number_removal', 'mac_addition', 'owner_change', 'toll_free', 'cancellation')),
  status              text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'rejected')),
  -- the kind's fields as filed, without any secret
  details             jsonb NOT NULL,
  -- the one secret a request may carry (a porting PIN at the losing carrier), sealed by the SecretBox
  secret_enc          text,
  filed_by_user_id    uuid,
  filed_by            text NOT NULL,
  assignee_user_id    uuid,
  assignee            text,
  -- the staff who moved it to done or rejected
  handled_by_user_id  uuid,
  handled_by          text,
  reject_reason       text,
  -- what completing it produced (toll-free numbers assigned, closing date…)
  outcome             jsonb,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  closed_at           timestamptz,
  CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
  CHECK ((status IN ('done', 'rejected')) = (closed_at IS NOT NULL))
);
CREATE INDEX service_requests_account ON service_requests (account_id, created_at DESC);
CREATE INDEX service_requests_open ON service_requests (status, created_at) WHERE status IN ('open', 'in_progress');

CREATE TABLE service_request_comments (
  id              bigserial PRIMARY KEY,
  request_id      uuid NOT NULL REFERENCES service_requests (id) ON DELETE CASCADE,
  author_user_id  uuid,
  author          text NOT NULL,
  -- 'account': the customer's side; 'staff': operator or reseller
  side            text NOT NULL CHECK (side IN ('account', 'staff')),
  body            text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_request_comments_request ON service_request_comments (request_id, id);

-- The phones an owner may buy. Prices in minor units of `currency`.
CREATE TABLE phone_models (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  vendor       text NOT NULL,
  model        text NOT NULL,
  name         text NOT NULL,
  price_minor  bigint NOT NULL CHECK (price_minor > 0),
  currency     text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  available    boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_phone_models__model UNIQUE (vendor, model)
);

INSERT INTO phone_models (vendor, model, name, price_minor, currency) VALUES
  ('yealink', 'T46U', 'Yealink T46U desk phone', 18900, 'USD'),
  ('yealink', 'T54W', 'Yealink T54W desk phone (Wi-Fi, Bluetooth)', 22900, 'USD'),
  ('grandstream', 'HT802', 'Grandstream HT802 two-port ATA', 4900, 'USD'),
  ('cisco', 'SPA112', 'Cisco SPA112 two-port ATA', 5900, 'USD'),
  ('polycom', 'VVX450', 'Polycom VVX 450 desk phone', 27900, 'USD'),
  ('snom', 'D785', 'snom D785 desk phone', 26900, 'USD'),
  ('fanvil', 'X4U', 'Fanvil X4U desk phone', 12900, 'USD'),
  ('obihai', 'OBi202', 'Obihai OBi202 two-port ATA', 6900, 'USD');

CREATE TABLE phone_orders (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id      uuid NOT NULL CONSTRAINT fk_phone_orders__account_id REFERENCES accounts (id) ON DELETE CASCADE,
  status          text NOT NULL DEFAULT 'placed' CHECK (status IN ('placed', 'shipped', 'delivered', 'cancelled')),
  total_minor     bigint NOT NULL CHECK (total_minor > 0),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  placed_by       text NOT NULL,
  handled_by      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  shipped_at      timestamptz,
  delivered_at    timestamptz,
  cancelled_at    timestamptz
);
CREATE INDEX phone_orders_account ON phone_orders (account_id, created_at DESC);

-- One line of an order: the model and its price as they were when ordered,
-- and the MAC of each phone once known (at the latest when shipped).
CREATE TABLE phone_order_items (
  order_id          uuid NOT NULL REFERENCES phone_orders (id) ON DELETE CASCADE,
  position          integer NOT NULL CHECK (position >= 0),
  model_id          uuid NOT NULL REFERENCES phone_models (id),
  vendor            text NOT NULL,
  model             text NOT NULL,
  unit_price_minor  bigint NOT NULL CHECK (unit_price_minor > 0),
  quantity          integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
  macs              text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (order_id, position),
  CHECK (cardinality(macs) <= quantity)
);
