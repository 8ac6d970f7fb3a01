-- Call flows: hunt groups, IVR menus and office-hours schedules, and what the
-- routing directory needs that earlier slices did not store: caller-ID privacy
-- and local prefixes per account, conference settings per subaccount, and
-- number destinations of every kind routing knows.
--
-- A destination is three columns, <name>_kind, <name>_id and <name>_e164: an
-- entity of the same account (subaccount, hunt group, IVR menu, conference,
-- schedule) by id, or any E.164 number. The kinds point at different tables,
-- so no foreign key can check the id: the services check that it exists in the
-- same account, and refuse to delete what something still routes to.

CREATE FUNCTION callplane_destination_ok(kind text, id uuid, e164 text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN kind IS NULL THEN id IS NULL AND e164 IS NULL
    WHEN kind = 'number' THEN id IS NULL AND coalesce(e164 ~ '^\+[1-9][0-9]{6,14}$', false)
    WHEN kind IN ('subaccount', 'hunt_group', 'ivr_menu', 'conference', 'schedule') THEN id IS NOT NULL AND e164 IS NULL
    ELSE false
  END
$$;

-- Seed 003: how outgoing calls are identified; which E.164 prefixes are local calls.
ALTER TABLE accounts
  ADD COLUMN caller_id_privacy text NOT NULL DEFAULT 'none'
    CONSTRAINT ck_accounts__caller_id_privacy CHECK (caller_id_privacy IN ('none', 'name', 'number', 'both')),
  ADD COLUMN local_prefixes text[] NOT NULL DEFAULT '{}'
    CONSTRAINT ck_accounts__local_prefixes
    CHECK (cardinality(local_prefixes) <= 50 AND array_to_string(local_prefixes, ',') ~ '^(\+[1-9][0-9]{0,13}(,|$))*$');

-- Conference rooms: a size limit, and an optional moderator PIN sealed like the passcode.
ALTER TABLE subaccounts
  ADD COLUMN conference_max_participants integer
    CONSTRAINT ck_subaccounts__conference_max_participants CHECK (conference_max_participants BETWEEN 2 AND 500),
  ADD COLUMN conference_moderator_pin_enc text;
UPDATE subaccounts SET conference_max_participants = 50 WHERE kind = 'conference';
ALTER TABLE subaccounts ADD CONSTRAINT ck_subaccounts__conference CHECK (
  (kind = 'conference') = (conference_max_participants IS NOT NULL)
  AND (kind = 'conference' OR conference_moderator_pin_enc IS NULL)
);

-- Numbers ring any kind of destination, no longer only a subaccount.
ALTER TABLE phone_numbers
  ADD COLUMN destination_kind text,
  ADD COLUMN destination_id uuid,
  ADD COLUMN destination_e164 text;
UPDATE phone_numbers SET destination_kind = 'subaccount', destination_id = destination_subaccount_id
 WHERE destination_subaccount_id IS NOT NULL;
ALTER TABLE phone_numbers DROP COLUMN destination_subaccount_id;
ALTER TABLE phone_numbers ADD CONSTRAINT ck_phone_numbers__destination
  CHECK (callplane_destination_ok(destination_kind, destination_id, destination_e164));
CREATE INDEX phone_numbers_destination ON phone_numbers (destination_id) WHERE destination_id IS NOT NULL;

CREATE TABLE hunt_groups (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id              uuid NOT NULL CONSTRAINT fk_hunt_groups__account_id REFERENCES accounts (id) ON DELETE CASCADE,
  name                    text NOT NULL,
  -- dialed like a subaccount's extension; the service keeps the two apart
  extension               text CHECK (extension ~ '^[0-9]{2,6}$'),
  strategy                text NOT NULL CHECK (strategy IN ('simultaneous', 'sequential', 'round_robin', 'random')),
  member_timeout_seconds  integer NOT NULL CHECK (member_timeout_seconds BETWEEN 5 AND 300),
  total_timeout_seconds   integer NOT NULL CHECK (total_timeout_seconds BETWEEN 5 AND 3600),
  skip_busy               boolean NOT NULL,
  fallback_kind           text,
  fallback_id             uuid,
  fallback_e164           text,
  -- round robin: the position of the member the last call started with (the switch stores it)
  round_robin_cursor      integer CHECK (round_robin_cursor >= 0),
  created_at              timestamptz NOT NULL DEFAULT now(),
  updated_at              timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT uq_hunt_groups__extension UNIQUE (account_id, extension),
  CONSTRAINT ck_hunt_groups__fallback CHECK (callplane_destination_ok(fallback_kind, fallback_id, fallback_e164))
);
CREATE INDEX hunt_groups_account ON hunt_groups (account_id);

-- Members in ringing order: a subaccount of the account, or an external number.
CREATE TABLE hunt_group_members (
  hunt_group_id  uuid NOT NULL REFERENCES hunt_groups (id) ON DELETE CASCADE,
  position       integer NOT NULL CHECK (position >= 0),
  subaccount_id  uuid CONSTRAINT fk_hunt_group_members__subaccount_id REFERENCES subaccounts (id) ON DELETE RESTRICT,
  e164           text CHECK (e164 ~ '^\+[1-9][0-9]{6,14}$'),
  PRIMARY KEY (hunt_group_id, position),
  CHECK ((subaccount_id IS NULL) <> (e164 IS NULL))
);
CREATE INDEX hunt_group_members_subaccount ON hunt_group_members (subaccount_id) WHERE subaccount_id IS NOT NULL;

CREATE TABLE ivr_menus (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id               uuid NOT NULL CONSTRAINT fk_ivr_menus__account_id REFERENCES accounts (id) ON DELETE CASCADE,
  name                     text NOT NULL,
  greeting                 text NOT NULL,
  invalid_prompt           text NOT NULL,
  timeout_prompt           text NOT NULL,
  timeout_seconds          integer NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 60),
  max_retries              integer NOT NULL CHECK (max_retries BETWEEN 0 AND 10),
  allow_extension_dialing  boolean NOT NULL,
  fallback_kind            text,
  fallback_id              uuid,
  fallback_e164            text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_ivr_menus__fallback CHECK (callplane_destination_ok(fallback_kind, fallback_id, fallback_e164))
);
CREATE INDEX ivr_menus_account ON ivr_menus (account_id);

-- "Press 1 for …": one row per key that has a destination.
CREATE TABLE ivr_menu_options (
  ivr_menu_id       uuid NOT NULL REFERENCES ivr_menus (id) ON DELETE CASCADE,
  digit             text NOT NULL CHECK (digit ~ '^[0-9*#]$'),
  destination_kind  text NOT NULL,
  destination_id    uuid,
  destination_e164  text,
  PRIMARY KEY (ivr_menu_id, digit),
  CONSTRAINT ck_ivr_menu_options__destination CHECK (callplane_destination_ok(destination_kind, destination_id, destination_e164))
);

-- Office hours: weekly ranges in the account's local time, closed holidays, and where calls go in and out of hours.
CREATE TABLE schedules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id  uuid NOT NULL CONSTRAINT fk_schedules__account_id REFERENCES accounts (id) ON DELETE CASCADE,
  name        text NOT NULL,
  -- local dates (YYYY-MM-DD), closed all day
  holidays    text[] NOT NULL DEFAULT '{}'
              CHECK (array_to_string(holidays, ',') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}(,|$))*$'),
  open_kind   text NOT NULL,
  open_id     uuid,
  open_e164   text,
  closed_kind text NOT NULL,
  closed_id   uuid,
  closed_e164 text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ck_schedules__open CHECK (callplane_destination_ok(open_kind, open_id, open_e164)),
  CONSTRAINT ck_schedules__closed CHECK (callplane_destination_ok(closed_kind, closed_id, closed_e164))
);
CREATE INDEX schedules_account ON schedules (account_id);

-- Open on `days` (ISO weekdays, 1 = Monday) from `opens` to `closes`; closes ≤ opens runs past midnight.
CREATE TABLE schedule_ranges (
  schedule_id  uuid NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
  position     integer NOT NULL CHECK (position >= 0),
  days         integer[] NOT NULL CHECK (cardinality(days) > 0 AND days <@ ARRAY[1, 2, 3, 4, 5, 6, 7]),
  opens        text NOT NULL CHECK (opens ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
  closes       text NOT NULL CHECK (closes ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
  PRIMARY KEY (schedule_id, position),
  CHECK (opens <> closes)
);
