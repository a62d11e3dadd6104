-- One idempotency rule (platform/idempotency.ts): a key is recorded with a hash of the
-- request; the same key and hash answer what the first request answered, the same key with
-- another hash is refused (409), and keys belong to whoever sent them.

-- Keys and first answers of the writes other than lane scans (antigen hand-outs and reports).
-- scope: 'user:<id>' or 'resident:<id>' (a self-report signed by a personal code).
-- response is stored by the transaction that claimed the key, so a committed key has one.
CREATE TABLE idempotency_keys (
  scope        text NOT NULL,
  key          uuid NOT NULL,
  request_hash bytea NOT NULL,
  response     jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- A lane scan keeps its key and request hash in its samples row, written by the one
-- record_scan statement (no second write, no second round trip). The key now belongs to the
-- account that scanned (sampled_by, always set by record_scan); key first, so a lookup by
-- key alone still has an index. Rows from before this migration have no hash (NULL): their
-- retries are taken as replays, as before.
ALTER TABLE samples ADD COLUMN request_hash bytea;
ALTER TABLE samples DROP CONSTRAINT samples_idempotency_key_key;
CREATE UNIQUE INDEX samples_idempotency_key_idx ON samples (idempotency_key, sampled_by);

-- The antigen tables keep the key that wrote each row, but idempotency_keys decides now
-- (per sender: the same UUID from two senders is two requests).
ALTER TABLE antigen_distributions DROP CONSTRAINT antigen_distributions_idempotency_key_key;
ALTER TABLE antigen_reports DROP CONSTRAINT antigen_reports_idempotency_key_key;

-- record_scan takes the request hash (a new argument, so the old signature is dropped, not
-- replaced) and returns it with a replay, for the caller's sameRequest() to compare.
-- Changes from 0002: the key is the scanning account's; a key recorded by a statement that
-- held the tube's lock is looked up again once we hold it (before, a concurrent retry of one
-- scan answered already_in_tube); a replay answers the first answer's tube count and seal,
-- and whether the person was registered on the spot.
DROP FUNCTION record_scan(uuid, int, int, int, int, int, text, int, boolean, int, bytea, timestamptz);
CREATE FUNCTION record_scan(
  p_key uuid, p_round int, p_campaign int, p_site int, p_lane int, p_user int,
  p_barcode text, p_pool int, p_household_only boolean,
  p_resident int, p_blind bytea, p_at timestamptz, p_hash bytea
) RETURNS TABLE (
  outcome text, sample_id bigint, resident_id int, resident_name text, id_masked text,
  tube_id int, tube_people int, pool_size int, sealed boolean,
  repeat_in_round boolean, outside_campaign boolean,
  request_hash bytea, registered_on_spot boolean
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  s samples%ROWTYPE;
  r record;
  t tubes%ROWTYPE;
  v_repeat boolean;
  v_outside boolean;
  v_id bigint;
  v_people int;
BEGIN
  -- a retried scan: answer what the first one answered, with its request hash
  SELECT * INTO s FROM samples x WHERE x.idempotency_key = p_key AND x.sampled_by = p_user;
  IF FOUND THEN
    SELECT * INTO t FROM tubes x WHERE x.id = s.tube_id;
    SELECT x.name, x.id_masked, x.created_at INTO r FROM residents x WHERE x.id = s.resident_id;
    -- the tube as the first answer saw it: its samples up to this one (ids rise under the tube's lock)
    SELECT count(*) INTO v_people FROM samples x WHERE x.tube_id = s.tube_id AND x.id <= s.id;
    -- registered on the spot: the person's record was created by the transaction that took
    -- this sample (both default to that transaction's now())
    RETURN QUERY SELECT 'replay'::text, s.id, s.resident_id, r.name, r.id_masked, t.id, v_people, t.pool_size,
      v_people >= t.pool_size, s.repeat_in_round, s.outside_campaign, s.request_hash, r.created_at = s.received_at;
    RETURN;
  END IF;

  -- two statements, not one with CASE: each must use its index (primary key / blind index)
  IF p_resident IS NOT NULL THEN
    SELECT x.id, x.name, x.id_masked, x.place_path, x.household_id INTO r FROM residents x WHERE x.id = p_resident AND x.archived_at IS NULL;
  ELSE
    SELECT x.id, x.name, x.id_masked, x.place_path, x.household_id INTO r FROM residents x WHERE x.id_blind = p_blind AND x.archived_at IS NULL;
  END IF;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'PERSON_UNKNOWN'::text, NULL::bigint, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::int, NULL::boolean,
      NULL::boolean, NULL::boolean, NULL::bytea, NULL::boolean;
    RETURN;
  END IF;

  -- nine scans in ten find their tube open already: look before trying to insert it
  SELECT * INTO t FROM tubes WHERE barcode = p_barcode FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO tubes (round_id, barcode, pool_size, household_only, site_id, lane_id, opened_by, opened_at)
    VALUES (p_round, p_barcode, p_pool, p_household_only, p_site, p_lane, p_user, p_at)
    ON CONFLICT (barcode) DO NOTHING;
    SELECT * INTO t FROM tubes WHERE barcode = p_barcode FOR UPDATE;
  END IF;

  -- the same key may have been recorded by whoever held this lock while we waited for it
  -- (a concurrent retry): now that we hold it, that sample is visible; answer as a replay
  IF EXISTS (SELECT 1 FROM samples x WHERE x.idempotency_key = p_key AND x.sampled_by = p_user) THEN
    RETURN QUERY SELECT * FROM record_scan(p_key, p_round, p_campaign, p_site, p_lane, p_user, p_barcode, p_pool, p_household_only, p_resident, p_blind, p_at, p_hash);
    RETURN;
  END IF;

  IF t.round_id <> p_round THEN outcome := 'TUBE_OTHER_ROUND';
  ELSIF EXISTS (SELECT 1 FROM samples x WHERE x.tube_id = t.id AND x.resident_id = r.id) THEN outcome := 'already_in_tube';
  ELSIF t.sealed_at IS NOT NULL THEN outcome := 'TUBE_SEALED';
  ELSIF t.people >= t.pool_size THEN outcome := 'TUBE_FULL';
  ELSIF t.household_only AND EXISTS (
    SELECT 1 FROM samples x JOIN residents y ON y.id = x.resident_id
    WHERE x.tube_id = t.id AND y.household_id IS DISTINCT FROM r.household_id) THEN outcome := 'TUBE_OTHER_HOUSEHOLD';
  END IF;
  IF outcome IS NOT NULL THEN
    SELECT x.id INTO v_id FROM samples x WHERE x.tube_id = t.id AND x.resident_id = r.id;
    RETURN QUERY SELECT outcome, v_id, r.id, r.name, r.id_masked, t.id, t.people, t.pool_size, t.sealed_at IS NOT NULL, NULL::boolean, NULL::boolean,
      NULL::bytea, NULL::boolean;
    RETURN;
  END IF;

  v_repeat := EXISTS (SELECT 1 FROM samples x WHERE x.round_id = p_round AND x.resident_id = r.id);
  v_outside := NOT EXISTS (SELECT 1 FROM campaign_places c WHERE c.campaign_id = p_campaign AND r.place_path LIKE c.place_path || '%');

  INSERT INTO samples (round_id, tube_id, resident_id, place_path, site_id, lane_id, sampled_by, sampled_at, idempotency_key, request_hash, repeat_in_round, outside_campaign)
  VALUES (p_round, t.id, r.id, r.place_path, p_site, p_lane, p_user, p_at, p_key, p_hash, v_repeat, v_outside)
  ON CONFLICT (idempotency_key, sampled_by) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    -- the same key raced in from another connection (into another tube): it won; answer as a replay
    RETURN QUERY SELECT * FROM record_scan(p_key, p_round, p_campaign, p_site, p_lane, p_user, p_barcode, p_pool, p_household_only, p_resident, p_blind, p_at, p_hash);
    RETURN;
  END IF;

  UPDATE tubes SET people = people + 1, sealed_at = CASE WHEN people + 1 >= tubes.pool_size THEN p_at END
  WHERE id = t.id RETURNING * INTO t;
  RETURN QUERY SELECT 'recorded'::text, v_id, r.id, r.name, r.id_masked, t.id, t.people, t.pool_size, t.sealed_at IS NOT NULL, v_repeat, v_outside,
    NULL::bytea, NULL::boolean;
END $$;
