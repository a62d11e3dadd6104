-- Risk zones (issue 14, workflow 1): a zone is a policy declared on a place, with a reason.
--
-- A policy is data and versioned: an administrator's edit is a new row with the next version
-- of the same key; a zone keeps the version it was declared with until an officer re-applies
-- the policy. The presets below are the national protocol's three zones (9th edition) and the
-- later risk areas; an installation edits them.
CREATE TABLE zone_policies (
  id              int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key             text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  version         int NOT NULL CHECK (version >= 1),
  -- how strict, for ordering and for the colour rules: sealed/high the strictest
  level           text NOT NULL CHECK (level IN ('sealed', 'controlled', 'prevention', 'high', 'medium', 'low')),
  names           jsonb NOT NULL CHECK (jsonb_typeof(names -> 'zh-CN') = 'string'),
  -- what residents may do
  movement        text NOT NULL CHECK (movement IN ('stay_home', 'stay_in_compound', 'no_gatherings', 'free')),
  -- how supplies reach them
  supply          text NOT NULL CHECK (supply IN ('door', 'pickup', 'shops')),
  -- a test every N days (NULL: with the campaigns, no rule of its own); one tube per household where it says so
  test_every_days int CHECK (test_every_days BETWEEN 1 AND 30),
  test_per_household boolean NOT NULL DEFAULT false,
  -- may step down after N days with no new positive under the zone (NULL: only by hand)
  step_down_days  int CHECK (step_down_days BETWEEN 1 AND 90),
  -- the policy it steps down to (a key); NULL: stepping down lifts the zone
  step_down_to    text,
  created_by      int,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

INSERT INTO zone_policies (key, version, level, names, movement, supply, test_every_days, test_per_household, step_down_days, step_down_to) VALUES
  ('sealed', 1, 'sealed', '{"zh-CN": "封控区", "en-US": "Sealed zone", "ko-KR": "봉쇄 구역"}', 'stay_home', 'door', 1, true, 7, 'controlled'),
  ('controlled', 1, 'controlled', '{"zh-CN": "管控区", "en-US": "Controlled zone", "ko-KR": "관리 구역"}', 'stay_in_compound', 'pickup', 2, false, 7, 'prevention'),
  ('prevention', 1, 'prevention', '{"zh-CN": "防范区", "en-US": "Prevention zone", "ko-KR": "예방 구역"}', 'no_gatherings', 'shops', NULL, false, 7, NULL),
  ('high_risk', 1, 'high', '{"zh-CN": "高风险区", "en-US": "High-risk area", "ko-KR": "고위험 지역"}', 'stay_home', 'door', 1, false, 5, NULL),
  ('medium_risk', 1, 'medium', '{"zh-CN": "中风险区", "en-US": "Medium-risk area", "ko-KR": "중위험 지역"}', 'stay_in_compound', 'pickup', 2, false, 5, NULL),
  ('low_risk', 1, 'low', '{"zh-CN": "低风险区", "en-US": "Low-risk area", "ko-KR": "저위험 지역"}', 'no_gatherings', 'shops', NULL, false, NULL, NULL);

-- A zone on one place (and everything under it). One zone in force per place; ending it
-- (lifted, or stepped down to the next policy, which is a new zone row) keeps the row.
CREATE TABLE zones (
  id           int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  place_id     int NOT NULL REFERENCES places(id),
  place_path   text NOT NULL,
  policy_id    int NOT NULL REFERENCES zone_policies(id),
  reason       text NOT NULL CHECK (length(reason) BETWEEN 2 AND 500),
  declared_by  int,
  declared_at  timestamptz NOT NULL DEFAULT now(),
  -- the zone this one stepped down from
  stepped_from int REFERENCES zones(id),
  ended_at     timestamptz,
  ended_by     int,
  ended_how    text CHECK (ended_how IN ('lifted', 'stepped_down')),
  end_reason   text CHECK (length(end_reason) BETWEEN 2 AND 500),
  CHECK ((ended_at IS NULL) = (ended_how IS NULL))
);
CREATE UNIQUE INDEX zones_place_active_idx ON zones (place_id) WHERE ended_at IS NULL;
CREATE INDEX zones_path_active_idx ON zones (place_path text_pattern_ops) WHERE ended_at IS NULL;
CREATE INDEX zones_place_idx ON zones (place_id, declared_at DESC);

-- The trail of every decision on a zone, in order: who, when, why, which policy version.
CREATE TABLE zone_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone_id    int NOT NULL REFERENCES zones(id),
  kind       text NOT NULL CHECK (kind IN ('declared', 'reapplied', 'stepped_down', 'lifted')),
  policy_id  int NOT NULL REFERENCES zone_policies(id),
  reason     text NOT NULL,
  actor_id   int,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zone_events_zone_idx ON zone_events (zone_id, at);

-- The daily step-down check (job runner): the zones that met their policy's rule that day, for
-- the command center to confirm or keep. Nothing steps down without a person.
CREATE TABLE zone_step_down_reviews (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  zone_id          int NOT NULL REFERENCES zones(id),
  listed_on        date NOT NULL,
  days_clear       int NOT NULL,
  last_positive_at timestamptz,
  decided_at       timestamptz,
  decided_by       int,
  decision         text CHECK (decision IN ('stepped_down', 'lifted')),
  UNIQUE (zone_id, listed_on)
);
CREATE INDEX zone_step_down_reviews_open_idx ON zone_step_down_reviews (zone_id) WHERE decided_at IS NULL;
