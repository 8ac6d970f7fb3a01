-- Call authorization in batches (group commit): the control plane sends every
-- authorization waiting while the previous batch ran as ONE call of
-- reserve_calls, one statement and one commit for all of them. For each
-- request, in order, it does what one authorization did alone: under the
-- account's balance row lock, check that the funds (balance − active
-- reservations, within the subaccount's credit limit) cover the charge and
-- write the reservation. Several requests for one account therefore end
-- exactly as if they had come one after another. The statements are few and
-- set-wise (lock the batch's balance rows, read what they hold, the calls'
-- earlier reservations and the credit limits, then decide each request in
-- memory and insert every reservation with one INSERT), and PL/pgSQL keeps
-- their plans, so a batch is neither parsed nor planned again.
--
-- Per request (arrays of equal length, position i is request i):
--   p_reserve_minor, p_max_seconds  the reservation wanted (the charge of the longest call allowed)
--   p_least_minor                   the charge of the shortest call: funds below it refuse the call
-- One row per request, in order, with outcome:
--   reserved   the reservation was written
--   existing   the call was authorized before (its reservation's fields are returned; nothing written)
--   refused    the funds do not pay even the shortest call
--   short      the funds pay less than reserve_minor; available_minor says how much. Later requests of
--              the same account in this batch are 'deferred': the caller settles this one first
--   deferred   not tried (see short); ask again
--   no_balance the account has no balance row yet (the caller creates it in a transaction); later
--              requests of the account are deferred
--   currency   the balance is in another currency (returned) than the request's
--   raced      another transaction wrote this call's reservation meanwhile (the funds of the account's
--              later requests in the batch counted it: they may be refused what they would have got,
--              never granted what they would not)
CREATE FUNCTION reserve_calls(
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
  -- the batch's accounts that have a balance row, sorted; their balance, currency and what they hold
  accts uuid[];
  bals bigint[];
  curs text[];
  helds bigint[];
  -- the batch's calls authorized before
  ex_calls uuid[];
  ex_accts uuid[];
  ex_released boolean[];
  ex_max integer[];
  ex_reserved bigint[];
  -- per account and subaccount with a credit limit: the limit − what the subaccount's calls hold
  limit_keys text[];
  limit_rooms bigint[];
  -- accounts whose earlier request this batch did not settle: their later requests are deferred
  waiting uuid[] := '{}';
  -- what each request ends as, and the reservations to insert (positions in the batch)
  outcomes text[] := array_fill(NULL::text, ARRAY[n]);
  availables bigint[] := array_fill(NULL::bigint, ARRAY[n]);
  ins integer[] := '{}';
  inserted uuid[];
  -- ex_calls beyond this are this batch's own reservations
  found_before integer;
  k integer;
  e integer;
  l integer;
  available bigint;
BEGIN
  -- Lock every balance row of the batch, in one order: two batches never wait for each other in a circle.
  SELECT array_agg(locked.account_id ORDER BY locked.account_id), array_agg(locked.balance_minor ORDER BY locked.account_id),
         array_agg(locked.currency ORDER BY locked.account_id)
    INTO accts, bals, curs
    FROM (SELECT b.account_id, b.balance_minor, b.currency FROM account_balances b
           WHERE b.account_id = ANY (p_account_ids) ORDER BY b.account_id FOR UPDATE) AS locked;
  accts := coalesce(accts, '{}');
  -- Later statements: their snapshots see every reservation committed before the locks were granted.
  SELECT array_agg((SELECT coalesce(sum(r.reserved_minor), 0) FROM call_reservations r
                     WHERE r.account_id = a.id AND r.released_at IS NULL) ORDER BY a.ord)
    INTO helds
    FROM unnest(accts) WITH ORDINALITY AS a (id, ord);
  SELECT array_agg(r.call_uuid), array_agg(r.account_id), array_agg(r.released_at IS NOT NULL), array_agg(r.max_seconds),
         array_agg(r.reserved_minor)
    INTO ex_calls, ex_accts, ex_released, ex_max, ex_reserved
    FROM call_reservations r WHERE r.call_uuid = ANY (p_call_uuids);
  ex_calls := coalesce(ex_calls, '{}');
  found_before := cardinality(ex_calls);
  SELECT array_agg(s.account_id::text || s.subaccount_id::text),
         array_agg(c.limit_minor - (SELECT coalesce(sum(r.reserved_minor), 0) FROM call_reservations r
                                     WHERE r.account_id = s.account_id AND r.subaccount_id = s.subaccount_id AND r.released_at IS NULL))
    INTO limit_keys, limit_rooms
    FROM (SELECT DISTINCT u.account_id, u.subaccount_id FROM unnest(p_account_ids, p_subaccount_ids) AS u (account_id, subaccount_id)) AS s
    JOIN subaccount_credit_limits c ON c.subaccount_id = s.subaccount_id;
  limit_keys := coalesce(limit_keys, '{}');

  FOR i IN 1 .. n LOOP
    k := array_position(accts, p_account_ids[i]);
    e := array_position(ex_calls, p_call_uuids[i]);
    IF k IS NULL THEN
      outcomes[i] := CASE WHEN p_account_ids[i] = ANY (waiting) THEN 'deferred' ELSE 'no_balance' END;
      waiting := waiting || p_account_ids[i];
    ELSIF curs[k] <> p_currencies[i] THEN
      outcomes[i] := 'currency';
    ELSIF e IS NOT NULL THEN
      outcomes[i] := 'existing';
    ELSIF p_account_ids[i] = ANY (waiting) THEN
      outcomes[i] := 'deferred';
    ELSE
      l := CASE WHEN p_subaccount_ids[i] IS NULL THEN NULL
                ELSE array_position(limit_keys, p_account_ids[i]::text || p_subaccount_ids[i]::text) END;
      available := least(bals[k] - helds[k], limit_rooms[l]);
      availables[i] := available;
      IF available < 0 OR available < p_least_minor[i] THEN
        outcomes[i] := 'refused';
      ELSIF available < p_reserve_minor[i] THEN
        outcomes[i] := 'short';
        waiting := waiting || p_account_ids[i];
      ELSE
        outcomes[i] := 'reserved';
        helds[k] := helds[k] + p_reserve_minor[i];
        IF l IS NOT NULL THEN limit_rooms[l] := limit_rooms[l] - p_reserve_minor[i]; END IF;
        ins := ins || i;
        -- the same call again later in this batch finds this reservation
        ex_calls := ex_calls || p_call_uuids[i];
        ex_accts := ex_accts || p_account_ids[i];
        ex_released := ex_released || false;
        ex_max := ex_max || p_max_seconds[i];
        ex_reserved := ex_reserved || p_reserve_minor[i];
      END IF;
    END IF;
  END LOOP;

  WITH written AS (
    INSERT INTO call_reservations (call_uuid, account_id, subaccount_id, reserved_minor, max_seconds, released_at)
    SELECT p_call_uuids[j], p_account_ids[j], p_subaccount_ids[j], p_reserve_minor[j], p_max_seconds[j], NULL
      FROM unnest(ins) AS j
    ON CONFLICT (call_uuid) DO NOTHING
    RETURNING call_uuid
  ) SELECT coalesce(array_agg(written.call_uuid), '{}') INTO inserted FROM written;

  FOR i IN 1 .. n LOOP
    r_outcome := outcomes[i];
    r_available_minor := availables[i];
    k := array_position(accts, p_account_ids[i]);
    r_currency := curs[k];
    e := array_position(ex_calls, p_call_uuids[i]);
    r_account_id := NULL; r_released := NULL; r_max_seconds := NULL; r_reserved_minor := NULL;
    IF r_outcome = 'existing' THEN
      r_account_id := ex_accts[e]; r_released := ex_released[e]; r_max_seconds := ex_max[e]; r_reserved_minor := ex_reserved[e];
    END IF;
    -- not written after all (another transaction wrote the call's reservation): neither reserved nor found here
    IF (r_outcome = 'reserved' OR (r_outcome = 'existing' AND e > found_before)) AND NOT (p_call_uuids[i] = ANY (inserted)) THEN
      r_outcome := 'raced';
    END IF;
    RETURN NEXT;
  END LOOP;
END
$$;
