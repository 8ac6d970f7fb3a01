-- What an account's calls in progress hold of its funds, kept on its balance
-- row (account_balances.held_minor) instead of summed over call_reservations at
-- every authorization. The sum grew with the account's concurrent calls: a
-- batch of 50 authorizations for accounts with 50 calls each read 2,500
-- reservations (0.44 ms of a 1.6 ms batch). Triggers on call_reservations
-- keep the total: every statement that inserts, releases, changes or deletes
-- reservations adds its difference per account, under the balance rows'
-- locks taken in account order (as reserve_calls takes them), so the total
-- is exactly the sum and two writers never wait for each other in a circle.
-- A reservation is only ever written for an account whose balance row exists
-- (reserve_calls and the transaction path lock it first); a balance row
-- created later starts from the sum of what is already held.
ALTER TABLE account_balances ADD COLUMN held_minor bigint NOT NULL DEFAULT 0;

UPDATE account_balances b
   SET held_minor = coalesce((SELECT sum(r.reserved_minor) FROM call_reservations r
                               WHERE r.account_id = b.account_id AND r.released_at IS NULL), 0);

-- Nothing sums an account's calls any more; a credit limit sums one subaccount's (with its account):
-- one index for that instead of two, one index entry less per reservation written.
DROP INDEX call_reservations_active;
DROP INDEX call_reservations_subaccount_active;
CREATE INDEX call_reservations_active ON call_reservations (account_id, subaccount_id) WHERE released_at IS NULL;

CREATE FUNCTION hold_reservations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  accts uuid[];
  deltas bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(d.account_id ORDER BY d.account_id), array_agg(d.delta ORDER BY d.account_id) INTO accts, deltas
      FROM (SELECT a.account_id, sum(a.reserved_minor) AS delta FROM added a
             WHERE a.released_at IS NULL GROUP BY a.account_id) AS d;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(d.account_id ORDER BY d.account_id), array_agg(d.delta ORDER BY d.account_id) INTO accts, deltas
      FROM (SELECT r.account_id, -sum(r.reserved_minor) AS delta FROM removed r
             WHERE r.released_at IS NULL GROUP BY r.account_id) AS d;
  ELSE
    SELECT array_agg(d.account_id ORDER BY d.account_id), array_agg(d.delta ORDER BY d.account_id) INTO accts, deltas
      FROM (SELECT c.account_id, sum(c.amount) AS delta
              FROM (SELECT a.account_id, a.reserved_minor AS amount FROM added a WHERE a.released_at IS NULL
                    UNION ALL
                    SELECT r.account_id, -r.reserved_minor FROM removed r WHERE r.released_at IS NULL) AS c
             GROUP BY c.account_id HAVING sum(c.amount) <> 0) AS d;
  END IF;
  IF accts IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM 1 FROM account_balances b WHERE b.account_id = ANY (accts) ORDER BY b.account_id FOR UPDATE;
  UPDATE account_balances b SET held_minor = b.held_minor + d.delta
    FROM unnest(accts, deltas) AS d (account_id, delta)
   WHERE b.account_id = d.account_id;
  RETURN NULL;
END
$$;

CREATE TRIGGER call_reservations_hold_insert AFTER INSERT ON call_reservations
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION hold_reservations();
CREATE TRIGGER call_reservations_hold_update AFTER UPDATE ON call_reservations
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION hold_reservations();
CREATE TRIGGER call_reservations_hold_delete AFTER DELETE ON call_reservations
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION hold_reservations();

-- A balance row created after reservations were written starts from what they hold.
CREATE FUNCTION balance_starts_held() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.held_minor := coalesce((SELECT sum(r.reserved_minor) FROM call_reservations r
                               WHERE r.account_id = NEW.account_id AND r.released_at IS NULL), 0);
  RETURN NEW;
END
$$;

CREATE TRIGGER account_balances_start_held BEFORE INSERT ON account_balances
  FOR EACH ROW EXECUTE FUNCTION balance_starts_held();

-- reserve_calls as in 20261123T2100_authorize_batch.sql, reading held_minor from the locked rows.
CREATE OR REPLACE FUNCTION reserve_calls(
  p_call_uuids uuid[], p_account_ids uuid[], p_subaccount_ids uuid[], p_currencies text[],
  p_reserve_minor bigint[], p_max_seconds integer[], p_least_minor bigint[]
) RETURNS TABLE (
  r_outcome text, r_currency text, r_available_minor bigint,
  r_account_id uuid, r_released boolean, r_max_seconds integer, r_reserved_minor bigint
) LANGUAGE plpgsql
-- The statements' plans depend on no value enough to plan them again per call (which, by default, the first
-- five calls of each connection and any call whose generic plan looks costlier would).
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  n integer := coalesce(array_length(p_call_uuids, 1), 0);
  -- the batch's accounts that have a balance row, sorted: their balance, currency and what they hold
  accts uuid[];
  bals bigint[];
  curs text[];
  helds bigint[];
  -- the batch's calls authorized before
  ex_accts uuid[];
  ex_released boolean[];
  ex_max integer[];
  ex_reserved bigint[];
  -- per account and subaccount with a credit limit: the limit − what the subaccount's calls hold
  rooms bigint[];
  -- per request, positions: of its account in accts, of its call's earlier reservation in ex_*, of its
  -- (account, subaccount) in rooms, and of the first request in this batch for the same call
  ks integer[];
  es integer[];
  ls integer[];
  firsts integer[];
  -- accounts whose earlier request this batch did not settle: their later requests are deferred
  waiting uuid[] := '{}';
  -- the answer, per request
  outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  availables bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  out_accts uuid[] := array_fill(NULL::uuid, ARRAY[n]);
  out_released boolean[] := array_fill(NULL::boolean, ARRAY[n]);
  out_max integer[] := array_fill(NULL::integer, ARRAY[n]);
  out_reserved bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  -- the requests whose reservation is written, and the calls actually written
  ins integer[] := '{}';
  inserted uuid[];
  k integer;
  f integer;
  available bigint;
BEGIN
  -- Lock every balance row of the batch, in one order: two batches never wait for each other in a circle.
  -- What the account's calls hold is on the row (held_minor, kept by hold_reservations): no sum over them.
  SELECT array_agg(locked.account_id ORDER BY locked.account_id), array_agg(locked.balance_minor ORDER BY locked.account_id),
         array_agg(locked.currency ORDER BY locked.account_id), array_agg(locked.held_minor ORDER BY locked.account_id)
    INTO accts, bals, curs, helds
    FROM (SELECT b.account_id, b.balance_minor, b.currency, b.held_minor FROM account_balances b
           WHERE b.account_id = ANY (p_account_ids) ORDER BY b.account_id FOR UPDATE) AS locked;
  -- Each request's positions, by joins rather than a search per request.
  WITH req AS (
    SELECT u.ord, u.call_uuid, u.account_id, u.subaccount_id,
           min(u.ord) OVER (PARTITION BY u.call_uuid) AS first
      FROM unnest(p_call_uuids, p_account_ids, p_subaccount_ids) WITH ORDINALITY AS u (call_uuid, account_id, subaccount_id, ord)
  ), earlier AS (
    SELECT row_number() OVER () AS pos, r.call_uuid, r.account_id, r.released_at IS NOT NULL AS released, r.max_seconds, r.reserved_minor
      FROM call_reservations r WHERE r.call_uuid = ANY (p_call_uuids)
  ), limited AS (
    -- a credit limit still sums its subaccount's calls: this statement's snapshot, taken after the locks
    -- were granted, sees every reservation committed before
    SELECT row_number() OVER () AS pos, s.account_id, s.subaccount_id,
           c.limit_minor - (SELECT coalesce(sum(r.reserved_minor), 0) FROM call_reservations r
                             WHERE r.account_id = s.account_id AND r.subaccount_id = s.subaccount_id AND r.released_at IS NULL) AS room
      FROM (SELECT DISTINCT req.account_id, req.subaccount_id FROM req) AS s
      JOIN subaccount_credit_limits c ON c.subaccount_id = s.subaccount_id
  )
  SELECT array_agg(a.k ORDER BY req.ord), array_agg(e.pos ORDER BY req.ord), array_agg(l.pos ORDER BY req.ord),
         array_agg(req.first ORDER BY req.ord),
         (SELECT array_agg(earlier.account_id ORDER BY earlier.pos) FROM earlier),
         (SELECT array_agg(earlier.released ORDER BY earlier.pos) FROM earlier),
         (SELECT array_agg(earlier.max_seconds ORDER BY earlier.pos) FROM earlier),
         (SELECT array_agg(earlier.reserved_minor ORDER BY earlier.pos) FROM earlier),
         (SELECT array_agg(limited.room ORDER BY limited.pos) FROM limited)
    INTO ks, es, ls, firsts, ex_accts, ex_released, ex_max, ex_reserved, rooms
    FROM req
    LEFT JOIN unnest(accts) WITH ORDINALITY AS a (id, k) ON a.id = req.account_id
    LEFT JOIN earlier e ON e.call_uuid = req.call_uuid
    LEFT JOIN limited l ON l.account_id = req.account_id AND l.subaccount_id = req.subaccount_id;

  FOR i IN 1 .. n LOOP
    k := ks[i];
    f := firsts[i];
    IF k IS NULL THEN
      outcomes[i] := CASE WHEN p_account_ids[i] = ANY (waiting) THEN 'deferred' ELSE 'no_balance' END;
      waiting := waiting || p_account_ids[i];
      CONTINUE;
    END IF;
    IF curs[k] <> p_currencies[i] THEN
      outcomes[i] := 'currency';
    ELSIF es[i] IS NOT NULL THEN
      outcomes[i] := 'existing';
      out_accts[i] := ex_accts[es[i]]; out_released[i] := ex_released[es[i]];
      out_max[i] := ex_max[es[i]]; out_reserved[i] := ex_reserved[es[i]];
    ELSIF f < i AND outcomes[f] = 'reserved' THEN
      -- the same call earlier in this batch: the reservation it made
      outcomes[i] := 'existing';
      out_accts[i] := p_account_ids[f]; out_released[i] := false;
      out_max[i] := p_max_seconds[f]; out_reserved[i] := p_reserve_minor[f];
    ELSIF p_account_ids[i] = ANY (waiting) THEN
      outcomes[i] := 'deferred';
    ELSE
      available := least(bals[k] - helds[k], rooms[ls[i]]);
      availables[i] := available;
      IF available < 0 OR available < p_least_minor[i] THEN
        outcomes[i] := 'refused';
      ELSIF available < p_reserve_minor[i] THEN
        outcomes[i] := 'short';
        waiting := waiting || p_account_ids[i];
      ELSE
        outcomes[i] := 'reserved';
        helds[k] := helds[k] + p_reserve_minor[i];
        IF ls[i] IS NOT NULL THEN rooms[ls[i]] := rooms[ls[i]] - p_reserve_minor[i]; END IF;
        ins := ins || i;
      END IF;
    END IF;
  END LOOP;

  -- A plain INSERT: no other transaction wrote these calls (the common case), so no speculative insertion.
  -- One that did makes it fail with unique_violation; then the calls that are free are written, the others raced.
  BEGIN
    INSERT INTO call_reservations (call_uuid, account_id, subaccount_id, reserved_minor, max_seconds, released_at)
    SELECT p_call_uuids[j], p_account_ids[j], p_subaccount_ids[j], p_reserve_minor[j], p_max_seconds[j], NULL
      FROM unnest(ins) AS j;
    inserted := ARRAY(SELECT p_call_uuids[j] FROM unnest(ins) AS j);
  EXCEPTION WHEN unique_violation THEN
    WITH written AS (
      INSERT INTO call_reservations (call_uuid, account_id, subaccount_id, reserved_minor, max_seconds, released_at)
      SELECT p_call_uuids[j], p_account_ids[j], p_subaccount_ids[j], p_reserve_minor[j], p_max_seconds[j], NULL
        FROM unnest(ins) AS j
      ON CONFLICT (call_uuid) DO NOTHING
      RETURNING call_uuid
    ) SELECT coalesce(array_agg(written.call_uuid), '{}') INTO inserted FROM written;
  END;
  IF cardinality(inserted) < cardinality(ins) THEN
    -- another transaction wrote some of these calls' reservations meanwhile: neither reserved nor found here
    FOR i IN 1 .. n LOOP
      IF (outcomes[i] = 'reserved' OR (outcomes[i] = 'existing' AND es[i] IS NULL)) AND NOT (p_call_uuids[i] = ANY (inserted)) THEN
        outcomes[i] := 'raced';
      END IF;
    END LOOP;
  END IF;

  RETURN QUERY
    SELECT o.outcome, curs[ks[o.ord::integer]], o.available, o.acct, o.released, o.max, o.reserved
      FROM unnest(outcomes, availables, out_accts, out_released, out_max, out_reserved)
           WITH ORDINALITY AS o (outcome, available, acct, released, max, reserved, ord)
     ORDER BY o.ord;
END
$$;
