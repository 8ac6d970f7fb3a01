-- A hunt group's external member is a leg of its own with its own call
-- authorization (keyed by the leg's uuid); the CDR of the call names the leg
-- that answered, so settlement charges and releases that authorization.
ALTER TABLE cdrs ADD COLUMN charged_leg_uuid uuid;
