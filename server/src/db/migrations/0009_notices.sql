-- Notices (通知): an officer's message to the residents of a place, or of a list the system
-- already has (a round's not-yet-sampled list, its recall list), in Chinese and optionally other
-- languages. The messages themselves are outbox rows (messages.source = 'notice', source_id =
-- the notice id), so the delivery report is a count of their statuses.
CREATE TABLE notices (
  id           int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- the place the notice goes to (for a list: the part of the list in that place); scope reads by its path
  place_id     int NOT NULL REFERENCES places(id),
  place_path   text NOT NULL,
  target       text NOT NULL CHECK (target IN ('place','missing','recall','slot')),
  round_id     int REFERENCES rounds(id),
  -- a slot notice: the building's time on the round's schedule, as the residents read it ("14:00–14:20")
  slot         text,
  channels     text[] NOT NULL CHECK (cardinality(channels) BETWEEN 1 AND 2),
  -- the templates by language: {"zh-CN": "…", "en-US": "…", "ko-KR": "…"}; zh-CN always present
  texts        jsonb NOT NULL CHECK (texts ? 'zh-CN'),
  recipients   int NOT NULL DEFAULT 0,
  created_by   int REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notices_path_idx ON notices (place_path text_pattern_ops, id);
CREATE INDEX notices_round_idx ON notices (round_id) WHERE round_id IS NOT NULL;
