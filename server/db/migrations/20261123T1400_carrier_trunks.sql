-- Carrier trunks: where calls from the public network come from (addresses) and
-- where calls to it go (a host, with the carrier's digest credentials). A trunk
-- belongs to the operator (shared) or to one account.

CREATE TABLE carrier_trunks (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id         uuid REFERENCES accounts (id) ON DELETE CASCADE,
  name               text NOT NULL CONSTRAINT uq_carrier_trunks__name UNIQUE,
  -- addresses / CIDR blocks calls from this carrier come from
  inbound_addresses  text[] NOT NULL DEFAULT '{}',
  outbound_host      text,
  outbound_port      integer NOT NULL DEFAULT 5060 CHECK (outbound_port BETWEEN 1 AND 65535),
  outbound_transport text NOT NULL DEFAULT 'udp' CHECK (outbound_transport IN ('udp', 'tcp', 'tls')),
  username           text,
  password_enc       text,
  register           boolean NOT NULL DEFAULT false,
  enabled            boolean NOT NULL DEFAULT true,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
