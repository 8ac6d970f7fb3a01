-- Call detail records, one per call (the A-leg's FreeSWITCH uuid), written from
-- CHANNEL_HANGUP_COMPLETE; a repeated event changes nothing.
CREATE TABLE cdrs (
  call_uuid                 uuid PRIMARY KEY,
  account_id                uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  subaccount_id             uuid,
  direction                 text NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
  call_class                text NOT NULL,
  caller_name               text NOT NULL DEFAULT '',
  caller_number             text NOT NULL DEFAULT '',
  dialed                    text NOT NULL,
  callee                    text NOT NULL DEFAULT '',
  started_at                timestamptz NOT NULL,
  answered_at               timestamptz,
  ended_at                  timestamptz NOT NULL,
  billable_seconds          integer NOT NULL CHECK (billable_seconds >= 0),
  hangup_cause              text NOT NULL,
  hunt_group_id             uuid,
  ivr_menu_id               uuid,
  conference_subaccount_id  uuid,
  trunk_id                  uuid,
  did                       text,
  recorded_at               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cdrs_account ON cdrs (account_id, started_at DESC);
CREATE INDEX cdrs_subaccount ON cdrs (subaccount_id, started_at DESC);
