-- The provisioning fetch audit is written in batches of up to 2,000 rows at
-- the listener's rate. Its two foreign keys checked every row (more than half
-- of each batch's cost on PGlite), and a device deleted while its fetches
-- waited for the next batch failed that whole batch: the audit of everyone
-- else's fetches was lost with it. The rows go when their device or account
-- goes, as before, by these triggers instead.
ALTER TABLE provisioning_fetches DROP CONSTRAINT provisioning_fetches_account_id_fkey;
ALTER TABLE provisioning_fetches DROP CONSTRAINT provisioning_fetches_device_id_fkey;

CREATE FUNCTION callplane_forget_device_fetches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM provisioning_fetches WHERE device_id = OLD.id;
  RETURN OLD;
END
$$;

CREATE FUNCTION callplane_forget_account_fetches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM provisioning_fetches WHERE account_id = OLD.id;
  RETURN OLD;
END
$$;

CREATE TRIGGER devices_forget_fetches AFTER DELETE ON devices
  FOR EACH ROW EXECUTE FUNCTION callplane_forget_device_fetches();
CREATE TRIGGER accounts_forget_fetches AFTER DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION callplane_forget_account_fetches();
