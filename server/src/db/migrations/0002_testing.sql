-- Mass testing campaigns (全员核酸检测): campaigns over places, rounds, sites and lanes,
-- tubes and the people sampled into them, boxes handed to labs, results, recall lists,
-- exemptions, antigen kits.

-- Place paths are ASCII ('/1/5/23/'), so the "C" collation orders them byte-wise: one plain
-- btree on (place_path, id) then serves both the scope prefix (LIKE '/1/5/%') and an ordered
-- walk by address, which the missing list (清楼) pages through without sorting.
ALTER TABLE residents ALTER COLUMN place_path TYPE text COLLATE "C";
DROP INDEX residents_path_idx;
CREATE INDEX residents_path_idx ON residents (place_path, id);

-- A campaign covers chosen places over a time window. place_path is the owning place
-- (scope: who may see and run it).
CREATE TABLE campaigns (
  id              int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  place_id        int NOT NULL REFERENCES places(id),
  place_path      text NOT NULL,
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL CHECK (ends_at > starts_at),
  -- residents younger than this many months are exempt (婴幼儿免检); 0 = nobody
  exempt_under_months int NOT NULL DEFAULT 0 CHECK (exempt_under_months BETWEEN 0 AND 240),
  seconds_per_swab int NOT NULL DEFAULT 20 CHECK (seconds_per_swab BETWEEN 5 AND 600),
  created_by      int REFERENCES users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  archived_at     timestamptz
);
CREATE INDEX campaigns_path_idx ON campaigns (place_path text_pattern_ops);

-- The places a campaign covers, each with its sampling mode: one person per tube, 5/10/20
-- in one (混采), or one tube per household (sealed compounds). The deepest covering place wins.
CREATE TABLE campaign_places (
  campaign_id int NOT NULL REFERENCES campaigns(id),
  place_id    int NOT NULL REFERENCES places(id),
  place_path  text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('single','pool5','pool10','pool20','household')),
  PRIMARY KEY (campaign_id, place_id)
);

-- Rounds (第 N 轮) of one campaign are counted separately: a person sampled on day 1 is
-- still "not yet sampled" on day 2.
CREATE TABLE rounds (
  id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id int NOT NULL REFERENCES campaigns(id),
  number      int NOT NULL CHECK (number >= 1),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  closed_at   timestamptz,
  plan        jsonb, -- the last time-slot plan's parameters and what did not fit (schedule/service.ts)
  UNIQUE (campaign_id, number)
);

-- Sampling sites (采样点) with opening hours, and their lanes (采样通道).
CREATE TABLE sites (
  id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id int NOT NULL REFERENCES campaigns(id),
  place_id    int NOT NULL REFERENCES places(id),
  place_path  text NOT NULL,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  opens_at    time NOT NULL DEFAULT '07:00',
  closes_at   time NOT NULL DEFAULT '22:00',
  door_to_door boolean NOT NULL DEFAULT false, -- 上门采样 teams are sites without a fixed place
  UNIQUE (campaign_id, name)
);
CREATE TABLE lanes (
  id       int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id  int NOT NULL REFERENCES sites(id),
  number   int NOT NULL CHECK (number >= 1),
  UNIQUE (site_id, number)
);

-- The time-slot plan (分时段、按楼栋): which building goes to which site when.
CREATE TABLE schedule_slots (
  id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id    int NOT NULL REFERENCES rounds(id),
  place_id    int NOT NULL REFERENCES places(id),
  place_path  text NOT NULL,
  site_id     int NOT NULL REFERENCES sites(id),
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL CHECK (ends_at > starts_at),
  people      int NOT NULL CHECK (people >= 0),
  edited_by   int REFERENCES users(id)
);
CREATE INDEX schedule_slots_round_idx ON schedule_slots (round_id, starts_at);
CREATE INDEX schedule_slots_place_idx ON schedule_slots (place_path text_pattern_ops, round_id);

-- Boxes (转运箱) carry sealed tubes from a site to a lab; each handover step says who and when.
CREATE TABLE boxes (
  id              int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id        int NOT NULL REFERENCES rounds(id),
  barcode         text NOT NULL UNIQUE CHECK (length(barcode) BETWEEN 4 AND 40),
  site_id         int REFERENCES sites(id),
  packed_by       int REFERENCES users(id),
  packed_at       timestamptz NOT NULL DEFAULT now(),
  handed_over_by  int REFERENCES users(id),
  handed_over_at  timestamptz,
  carrier         text,
  received_by     int REFERENCES users(id),
  received_at     timestamptz,
  lab_name        text,
  receipt         jsonb -- { missing: [barcodes], extra: [barcodes] } found at receipt
);

-- A tube (采样管): its barcode, how many people it may hold, where it was opened and sealed,
-- and the current result. Result history is in tube_results.
CREATE TABLE tubes (
  id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id    int NOT NULL REFERENCES rounds(id),
  barcode     text NOT NULL UNIQUE CHECK (length(barcode) BETWEEN 4 AND 40),
  pool_size   int NOT NULL CHECK (pool_size BETWEEN 1 AND 20),
  household_only boolean NOT NULL DEFAULT false,
  site_id     int NOT NULL REFERENCES sites(id),
  lane_id     int REFERENCES lanes(id),
  people      int NOT NULL DEFAULT 0,
  opened_by   int, -- no foreign key: see samples
  opened_at   timestamptz NOT NULL DEFAULT now(),
  sealed_at   timestamptz,
  box_id      int REFERENCES boxes(id),
  result      text CHECK (result IN ('negative','positive','invalid')),
  result_at   timestamptz,
  retest_of   int REFERENCES tubes(id) -- a single tube taken for a recall
);
CREATE INDEX tubes_round_idx ON tubes (round_id, site_id);
CREATE INDEX tubes_box_idx ON tubes (box_id);

-- A sample: one person into one tube. The same person twice in one tube is one sample.
-- idempotency_key makes a retried scan (offline sync) a no-op.
-- round_id and sampled_by carry no foreign key on purpose: every concurrent scan of a round
-- would take a KEY SHARE lock on the same rounds row (and a lane's on the same users row),
-- and that one hot row turns into MultiXact churn under load. The round follows from the
-- tube (which does reference rounds); record_scan is the only writer.
CREATE TABLE samples (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id        int NOT NULL,
  tube_id         int NOT NULL REFERENCES tubes(id),
  resident_id     int NOT NULL REFERENCES residents(id),
  place_path      text COLLATE "C" NOT NULL, -- the resident's place when sampled (coverage rolls up by it)
  site_id         int NOT NULL,
  lane_id         int,
  sampled_by      int,
  sampled_at      timestamptz NOT NULL DEFAULT now(),
  received_at     timestamptz NOT NULL DEFAULT now(),
  idempotency_key uuid NOT NULL UNIQUE,
  repeat_in_round boolean NOT NULL DEFAULT false, -- already sampled in this round (flagged, not hidden)
  outside_campaign boolean NOT NULL DEFAULT false, -- lives outside the campaign's places (visitor)
  UNIQUE (tube_id, resident_id)
);
CREATE INDEX samples_round_resident_idx ON samples (round_id, resident_id);
CREATE INDEX samples_round_site_idx ON samples (round_id, site_id, sampled_at);
-- coverage of one community reads only its range of the round's samples
CREATE INDEX samples_round_path_idx ON samples (round_id, place_path);

-- Lab results per tube, every report kept (corrections are new rows; tubes.result is current).
CREATE TABLE tube_results (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tube_id      int NOT NULL REFERENCES tubes(id),
  result       text NOT NULL CHECK (result IN ('negative','positive','invalid')),
  reported_by  int REFERENCES users(id),
  reported_at  timestamptz NOT NULL DEFAULT now(),
  source       text NOT NULL CHECK (source IN ('file','api')),
  corrects     bigint REFERENCES tube_results(id)
);
CREATE INDEX tube_results_tube_idx ON tube_results (tube_id);

-- The recall list (召回): everyone in a positive or invalid pool, held in place and retested
-- one per tube. Closed by the retest result.
CREATE TABLE recalls (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  round_id      int NOT NULL REFERENCES rounds(id),
  tube_id       int NOT NULL REFERENCES tubes(id),
  resident_id   int NOT NULL REFERENCES residents(id),
  place_path    text NOT NULL,
  reason        text NOT NULL CHECK (reason IN ('positive','invalid')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  retest_tube_id int REFERENCES tubes(id),
  outcome       text CHECK (outcome IN ('negative','positive','invalid')),
  closed_at     timestamptz,
  UNIQUE (tube_id, resident_id)
);
CREATE INDEX recalls_round_idx ON recalls (round_id, closed_at);
CREATE INDEX recalls_path_idx ON recalls (place_path text_pattern_ops);

-- Exemptions (免检) for one round: away, hospitalised, … (infants follow the campaign's age limit).
CREATE TABLE exemptions (
  round_id    int NOT NULL REFERENCES rounds(id),
  resident_id int NOT NULL REFERENCES residents(id),
  reason      text NOT NULL CHECK (reason IN ('away','hospitalised','infant','bedridden','quarantined','other')),
  note        text,
  by_user     int REFERENCES users(id),
  at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (round_id, resident_id)
);

-- Antigen kits (抗原试剂) handed to households, and results reported by residents or grid workers.
CREATE TABLE antigen_distributions (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id    int NOT NULL REFERENCES households(id),
  place_path      text NOT NULL,
  kits            int NOT NULL CHECK (kits BETWEEN 1 AND 100),
  by_user         int REFERENCES users(id),
  at              timestamptz NOT NULL DEFAULT now(),
  idempotency_key uuid NOT NULL UNIQUE
);
CREATE INDEX antigen_distributions_path_idx ON antigen_distributions (place_path text_pattern_ops);
CREATE TABLE antigen_reports (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resident_id     int NOT NULL REFERENCES residents(id),
  place_path      text NOT NULL,
  result          text NOT NULL CHECK (result IN ('negative','positive','invalid')),
  tested_at       timestamptz NOT NULL,
  by_user         int REFERENCES users(id),
  at              timestamptz NOT NULL DEFAULT now(),
  idempotency_key uuid NOT NULL UNIQUE,
  acknowledged_at timestamptz, -- a positive is an alert until the community acknowledges it
  acknowledged_by int REFERENCES users(id)
);
CREATE INDEX antigen_reports_path_idx ON antigen_reports (place_path text_pattern_ops, at DESC);

-- One scan at a lane, in one round trip: the lane page must never be what a queue waits
-- for, and a scan touches the idempotency key, the resident, the tube (locked, so two lanes
-- cannot overfill it), the round's earlier samples and the campaign's places. The rules are
-- spelled out in modules/testing/scans.ts, which calls this and maps the outcome codes.
-- p_resident (from a verified personal code) or p_blind (the ID number's blind index) names the person.
CREATE FUNCTION record_scan(
  p_key uuid, p_round int, p_campaign int, p_site int, p_lane int, p_user int,
  p_barcode text, p_pool int, p_household_only boolean,
  p_resident int, p_blind bytea, p_at timestamptz
) RETURNS TABLE (
  outcome text, sample_id bigint, resident_id int, resident_name text, id_masked text,
  tube_id int, tube_people int, pool_size int, sealed boolean,
  repeat_in_round boolean, outside_campaign boolean
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  s samples%ROWTYPE;
  r record;
  t tubes%ROWTYPE;
  v_repeat boolean;
  v_outside boolean;
  v_id bigint;
BEGIN
  -- a retried scan: answer what the first one did
  SELECT * INTO s FROM samples WHERE idempotency_key = p_key;
  IF FOUND THEN
    SELECT * INTO t FROM tubes WHERE id = s.tube_id;
    SELECT x.name, x.id_masked INTO r FROM residents x WHERE x.id = s.resident_id;
    RETURN QUERY SELECT 'replay'::text, s.id, s.resident_id, r.name, r.id_masked, t.id, t.people, t.pool_size,
      t.sealed_at IS NOT NULL, s.repeat_in_round, s.outside_campaign;
    RETURN;
  END IF;

  -- two statements, not one with CASE: each must use its index (primary key / blind index)
  IF p_resident IS NOT NULL THEN
    SELECT x.id, x.name, x.id_masked, x.place_path, x.household_id INTO r FROM residents x WHERE x.id = p_resident AND x.archived_at IS NULL;
  ELSE
    SELECT x.id, x.name, x.id_masked, x.place_path, x.household_id INTO r FROM residents x WHERE x.id_blind = p_blind AND x.archived_at IS NULL;
  END IF;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'PERSON_UNKNOWN'::text, NULL::bigint, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::int, NULL::boolean, NULL::boolean, NULL::boolean;
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
    RETURN QUERY SELECT outcome, v_id, r.id, r.name, r.id_masked, t.id, t.people, t.pool_size, t.sealed_at IS NOT NULL, NULL::boolean, NULL::boolean;
    RETURN;
  END IF;

  v_repeat := EXISTS (SELECT 1 FROM samples x WHERE x.round_id = p_round AND x.resident_id = r.id);
  v_outside := NOT EXISTS (SELECT 1 FROM campaign_places c WHERE c.campaign_id = p_campaign AND r.place_path LIKE c.place_path || '%');

  INSERT INTO samples (round_id, tube_id, resident_id, place_path, site_id, lane_id, sampled_by, sampled_at, idempotency_key, repeat_in_round, outside_campaign)
  VALUES (p_round, t.id, r.id, r.place_path, p_site, p_lane, p_user, p_at, p_key, v_repeat, v_outside)
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id INTO v_id;
  IF v_id IS NULL THEN
    -- the same key raced in from another connection: it won; answer as a replay
    RETURN QUERY SELECT * FROM record_scan(p_key, p_round, p_campaign, p_site, p_lane, p_user, p_barcode, p_pool, p_household_only, p_resident, p_blind, p_at);
    RETURN;
  END IF;

  UPDATE tubes SET people = people + 1, sealed_at = CASE WHEN people + 1 >= tubes.pool_size THEN p_at END
  WHERE id = t.id RETURNING * INTO t;
  RETURN QUERY SELECT 'recorded'::text, v_id, r.id, r.name, r.id_masked, t.id, t.people, t.pool_size, t.sealed_at IS NOT NULL, v_repeat, v_outside;
END $$;
