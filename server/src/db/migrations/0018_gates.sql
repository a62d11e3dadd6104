-- Gates and checkpoints (issue 14, 3: 查证、扫码、测温、登记). A gate is a place of kind
-- 'entrance': a compound's gate (under the compound) or a road checkpoint (under a street or
-- the district, registry/places.ts). Every check is logged; a device's retried check (offline
-- sync) is one row, under the one idempotency rule (platform/idempotency.ts).
CREATE TABLE gate_checks (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gate_id         int NOT NULL REFERENCES places(id),
  place_path      text NOT NULL, -- the gate's path
  direction       text NOT NULL CHECK (direction IN ('in', 'out')),
  resident_id     int REFERENCES residents(id),
  visitor_id      bigint,
  -- a person the gate could not match (an ID number not in the registry): its blind index only
  unknown_blind   bytea,
  temperature     numeric(3, 1) CHECK (temperature BETWEEN 30 AND 45),
  plate           text CHECK (length(plate) BETWEEN 2 AND 12),
  decision        text NOT NULL CHECK (decision IN ('pass', 'stop')),
  colour          text CHECK (colour IN ('green', 'yellow', 'red')),
  -- why, as the rules said it (rule keys, and 'fever' / 'not_registered' / 'pass_expired' …)
  reasons         text[] NOT NULL DEFAULT '{}',
  checked_by      int,
  checked_at      timestamptz NOT NULL, -- the device's time (offline checks arrive later)
  received_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gate_checks_gate_idx ON gate_checks (gate_id, checked_at DESC);
CREATE INDEX gate_checks_resident_idx ON gate_checks (resident_id, checked_at DESC) WHERE resident_id IS NOT NULL;
CREATE INDEX gate_checks_path_idx ON gate_checks (place_path text_pattern_ops, checked_at DESC);

-- A visitor registered at a gate (访客登记): whom they visit and why; their document encrypted
-- with its blind index, as residents' are. The pass is valid at that gate's compound for the day.
CREATE TABLE visitors (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  gate_id       int NOT NULL REFERENCES places(id),
  place_path    text NOT NULL,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  id_type       text NOT NULL,
  id_cipher     bytea NOT NULL,
  id_blind      bytea NOT NULL,
  id_masked     text NOT NULL,
  phone         text NOT NULL,
  visiting      text NOT NULL CHECK (length(visiting) BETWEEN 1 AND 100),
  purpose       text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 100),
  -- a registered resident with this document (their colour decides at the gate)
  resident_id   int REFERENCES residents(id),
  valid_on      date NOT NULL,
  registered_by int,
  registered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visitors_path_idx ON visitors (place_path text_pattern_ops, registered_at DESC);
CREATE INDEX visitors_blind_idx ON visitors (id_blind, valid_on);
