-- Foundation: place hierarchy, households, residents, staff accounts, sessions, audit log.

-- The place hierarchy (区 → 街道/镇 → 社区/村 → 小区 → 网格 → 楼栋 → 单元), plus compound
-- entrances (出入口). `path` is the materialised ancestry '/1/5/23/' (ids, self included):
-- scoping a query to a place is one indexed prefix match.
CREATE TABLE places (
  id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  parent_id   int REFERENCES places(id),
  kind        text NOT NULL CHECK (kind IN ('district','street','community','compound','grid','building','unit','entrance')),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  code        text,
  path        text NOT NULL,
  depth       int NOT NULL,
  floors      int,
  archived_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX places_parent_idx ON places (parent_id);
CREATE INDEX places_path_idx ON places (path text_pattern_ops);
CREATE UNIQUE INDEX places_sibling_name_idx ON places (coalesce(parent_id, 0), name) WHERE archived_at IS NULL;

-- A household (户) lives in a unit (or a building without units) at a room number.
CREATE TABLE households (
  id          int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  place_id    int NOT NULL REFERENCES places(id),
  place_path  text NOT NULL,
  room        text NOT NULL CHECK (length(room) BETWEEN 1 AND 20),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (place_id, room)
);
CREATE INDEX households_path_idx ON households (place_path text_pattern_ops);

-- A resident (居民). The ID number is stored only encrypted (id_cipher, AES-256-GCM) and
-- as a keyed blind index (id_blind, HMAC-SHA256) for exact lookup; id_masked is what
-- screens show.
CREATE TABLE residents (
  id                int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  household_id      int REFERENCES households(id),
  place_path        text NOT NULL,
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  id_type           text NOT NULL CHECK (id_type IN ('mainland_id','passport','hk_macau_permit','taiwan_permit')),
  id_cipher         bytea NOT NULL,
  id_blind          bytea NOT NULL,
  id_masked         text NOT NULL,
  sex               text CHECK (sex IN ('male','female')),
  birth_date        date,
  phone             text,
  nationality       text NOT NULL DEFAULT 'CN',
  language          text NOT NULL DEFAULT 'zh-CN',
  tenancy           text NOT NULL DEFAULT 'owner' CHECK (tenancy IN ('owner','tenant','floating')),
  elderly_alone     boolean NOT NULL DEFAULT false,
  mobility_impaired boolean NOT NULL DEFAULT false,
  pregnant          boolean NOT NULL DEFAULT false,
  due_date          date,
  chronic_illness   boolean NOT NULL DEFAULT false,
  infant            boolean NOT NULL DEFAULT false,
  archived_at       timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX residents_id_blind_idx ON residents (id_blind);
CREATE INDEX residents_path_idx ON residents (place_path text_pattern_ops, id);
CREATE INDEX residents_household_idx ON residents (household_id);
CREATE INDEX residents_name_idx ON residents (name text_pattern_ops);
CREATE INDEX residents_phone_idx ON residents (phone);

-- Staff accounts. place_id is the account's scope; only the administrator has none (all).
CREATE TABLE users (
  id                   int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{3,40}$'),
  display_name         text NOT NULL,
  password_hash        text NOT NULL,
  role                 text NOT NULL,
  place_id             int REFERENCES places(id),
  phone                text,
  locale               text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN','en-US')),
  preferences          jsonb NOT NULL DEFAULT '{}',
  failed_attempts      int NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  must_change_password boolean NOT NULL DEFAULT false,
  disabled_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (role = 'admin' OR place_id IS NOT NULL)
);

-- Sign-in sessions; only a hash of the cookie token is stored.
CREATE TABLE sessions (
  token_hash   bytea PRIMARY KEY,
  user_id      int NOT NULL REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Who did or read what, when, from where. Written in the same transaction as the change.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     int,
  username    text,
  action      text NOT NULL,
  entity      text,
  entity_id   text,
  place_path  text,
  detail      jsonb,
  ip          text,
  user_agent  text
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
