-- Personal code colours (issue 14, 2): the colour follows from rules that are data and
-- versioned. The engine (modules/codes/colour.ts) knows how to test each rule's fact; the rows
-- say whether a rule applies, the colour it gives, its parameters and the words it is explained
-- in — to staff in full, to the resident plainly. An edit is the rule's next version, and the
-- latest version of each applies at once: a colour is never stored, it is read from the facts
-- at each look, so a changed fact or rule shows at the next scan.
-- Rules for facts later workflows bring (in quarantine, close and secondary contact, returnee
-- awaiting verification) are added with those facts.
CREATE TABLE colour_rules (
  id         int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key        text NOT NULL CHECK (key IN ('positive', 'antigen_positive', 'strict_zone', 'controlled_zone', 'test_overdue')),
  version    int NOT NULL CHECK (version >= 1),
  enabled    boolean NOT NULL DEFAULT true,
  colour     text NOT NULL CHECK (colour IN ('red', 'yellow')),
  -- e.g. {"days": 14} (positive), {"hours": 24} (grace after a test falls due)
  params     jsonb NOT NULL DEFAULT '{}',
  -- the rule's name for staff, and what the resident reads: {"zh-CN": …, "en-US": …, "ko-KR": …}
  names      jsonb NOT NULL CHECK (jsonb_typeof(names -> 'zh-CN') = 'string'),
  plain      jsonb NOT NULL CHECK (jsonb_typeof(plain -> 'zh-CN') = 'string'),
  created_by int,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (key, version)
);

INSERT INTO colour_rules (key, version, colour, params, names, plain) VALUES
  ('positive', 1, 'red', '{"days": 14}',
   '{"zh-CN": "核酸阳性（单管）", "en-US": "PCR positive (single tube)", "ko-KR": "PCR 양성(단일 검체)"}',
   '{"zh-CN": "您的核酸检测结果为阳性，请留在家中，等待工作人员联系。", "en-US": "Your PCR test was positive. Stay at home; staff will contact you.", "ko-KR": "PCR 검사 결과 양성입니다. 집에 머무르시면 담당자가 연락드립니다."}'),
  ('antigen_positive', 1, 'yellow', '{"days": 3}',
   '{"zh-CN": "抗原自测阳性，待核酸确认", "en-US": "Antigen self-test positive, awaiting PCR", "ko-KR": "항원 자가검사 양성, PCR 확인 대기"}',
   '{"zh-CN": "您报告了抗原阳性，请留在家中等待核酸复核。", "en-US": "You reported a positive antigen test. Stay at home until a PCR test confirms it.", "ko-KR": "항원 검사 양성을 보고하셨습니다. PCR 확인 전까지 집에 머물러 주세요."}'),
  ('strict_zone', 1, 'yellow', '{"levels": ["sealed", "high"]}',
   '{"zh-CN": "居住在封控区 / 高风险区", "en-US": "Lives in a sealed zone / high-risk area", "ko-KR": "봉쇄 구역 / 고위험 지역 거주"}',
   '{"zh-CN": "您所在的区域正在封控管理，请足不出户。", "en-US": "Where you live is sealed: please do not leave home.", "ko-KR": "거주 지역이 봉쇄되었습니다. 외출하지 마세요."}'),
  ('controlled_zone', 1, 'yellow', '{"levels": ["controlled", "medium"]}',
   '{"zh-CN": "居住在管控区 / 中风险区", "en-US": "Lives in a controlled zone / medium-risk area", "ko-KR": "관리 구역 / 중위험 지역 거주"}',
   '{"zh-CN": "您所在的区域正在管控，请不要离开小区。", "en-US": "Where you live is controlled: please stay inside your compound.", "ko-KR": "거주 지역이 관리 중입니다. 단지 밖으로 나가지 마세요."}'),
  ('test_overdue', 1, 'yellow', '{"hours": 24}',
   '{"zh-CN": "超过所在区域的检测频次未检测", "en-US": "Test overdue for the zone''s frequency", "ko-KR": "구역 검사 주기 초과"}',
   '{"zh-CN": "您已超过规定时间未做核酸，请尽快检测。", "en-US": "Your test is overdue. Please get tested as soon as you can.", "ko-KR": "검사 기한이 지났습니다. 가능한 한 빨리 검사를 받으세요."}');
-- controlled zones keep their people green by default (they may move inside the compound); an administrator turns it on
UPDATE colour_rules SET enabled = false WHERE key = 'controlled_zone';

-- An officer's override: a colour with a reason and an expiry, in place of the rules' (audited).
CREATE TABLE colour_overrides (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resident_id int NOT NULL REFERENCES residents(id),
  colour      text NOT NULL CHECK (colour IN ('green', 'yellow', 'red')),
  reason      text NOT NULL CHECK (length(reason) BETWEEN 2 AND 500),
  expires_at  timestamptz NOT NULL,
  by_user     int NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  revoked_by  int,
  CHECK (expires_at > at)
);
CREATE INDEX colour_overrides_resident_idx ON colour_overrides (resident_id, at DESC) WHERE revoked_at IS NULL;

-- A resident's appeal against their colour, and its answer.
CREATE TABLE colour_appeals (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  resident_id int NOT NULL REFERENCES residents(id),
  place_path  text NOT NULL,
  -- the household member who wrote it (家属代办: for an elderly person)
  by_resident int NOT NULL,
  colour      text NOT NULL,
  text        text NOT NULL CHECK (length(text) BETWEEN 2 AND 1000),
  at          timestamptz NOT NULL DEFAULT now(),
  answered_at timestamptz,
  answered_by int,
  outcome     text CHECK (outcome IN ('changed', 'kept')),
  answer      text CHECK (length(answer) BETWEEN 2 AND 1000)
);
CREATE INDEX colour_appeals_open_idx ON colour_appeals (place_path text_pattern_ops, at) WHERE answered_at IS NULL;
CREATE INDEX colour_appeals_resident_idx ON colour_appeals (resident_id, at DESC);

-- The facts the rules read for one person, each from an index: their latest samples (antigen
-- reports have theirs, migration 0003).
CREATE INDEX samples_resident_idx ON samples (resident_id, sampled_at DESC);
