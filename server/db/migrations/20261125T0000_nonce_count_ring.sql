-- Every authenticated request inserts its digest nonce's count (replay state,
-- shared by every process). A nonce lives 5 minutes, so at 2,400 REGISTERs a
-- second the table held ~720,000 rows; the 30 s sweep deleted ~72,000 of them
-- in one statement, and autovacuum then cleaned a table of that size and its
-- two indexes — bursts of tens to hundreds of ms of a core next to the SIP
-- front end, whose UDP socket overflows when it misses its turn for ~20 ms.
--
-- Now the counts live in a ring of 16 partitions, one per minute of expiry
-- (slot = minute of expires_at mod 16). A minute whose nonces have all expired
-- is emptied with TRUNCATE (a new empty file, no dead rows, no vacuum); the
-- rows need no expiry column or index, and autovacuum has nothing to do here.
-- The sweep never empties a slot that holds an unexpired nonce or will receive
-- one within the longest nonce lifetime (CALLPLANE_SIP_NONCE_TTL ≤ 600 s).
CREATE TABLE sip_nonce_count_ring (
  slot   smallint NOT NULL,
  nonce  text COLLATE "C" NOT NULL,
  nc     bigint NOT NULL,
  PRIMARY KEY (slot, nonce)
) PARTITION BY LIST (slot);

DO $$
BEGIN
  FOR s IN 0..15 LOOP
    EXECUTE format('CREATE TABLE sip_nonce_counts_%s PARTITION OF sip_nonce_count_ring FOR VALUES IN (%s) WITH (autovacuum_enabled = false)', s, s);
  END LOOP;
END $$;

-- Counts of nonces still alive move over, so an upgrade opens no replay window.
INSERT INTO sip_nonce_count_ring (slot, nonce, nc)
SELECT (floor(extract(epoch FROM expires_at) / 60)::bigint % 16)::smallint, nonce, nc
  FROM sip_nonce_counts
 WHERE expires_at > now();

DROP TABLE sip_nonce_counts;
ALTER TABLE sip_nonce_count_ring RENAME TO sip_nonce_counts;
