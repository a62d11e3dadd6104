-- The residents' portal (issue 13): residents sign in with a one-time code sent by SMS or with
-- the personal code on their household card; a lost card is answered by rotating the household's codes.

-- The version of the household's personal codes (platform/codes.ts): 0 is the original format; a
-- rotation adds one, and every code of an older version is refused (card sign-in, lane, self-report).
ALTER TABLE households ADD COLUMN code_version int NOT NULL DEFAULT 0 CHECK (code_version >= 0);

-- Every request for a sign-in code, known phone or not (so the limits per number and per client
-- count a stranger's number exactly like a resident's, and the answer tells nobody which is which).
-- code_hash is an HMAC of the code (never the code): NULL when the number belongs to no resident and
-- nothing was sent. A code dies when used, after five wrong tries, or after five minutes.
CREATE TABLE resident_otps (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone           text NOT NULL,
  code_hash       bytea,
  ip              text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz NOT NULL,
  failed_attempts int NOT NULL DEFAULT 0,
  used_at         timestamptz
);
CREATE INDEX resident_otps_phone_idx ON resident_otps (phone, created_at DESC);
CREATE INDEX resident_otps_ip_idx ON resident_otps (ip, created_at DESC);

-- A resident's session (cookie fk_resident, path /api/portal): not a staff session, no scope. It
-- sees the resident and their household; acting_for is the member they currently act for (家属代办).
CREATE TABLE resident_sessions (
  token_hash   bytea PRIMARY KEY,
  resident_id  int NOT NULL REFERENCES residents(id),
  acting_for   int REFERENCES residents(id),
  via          text NOT NULL CHECK (via IN ('sms', 'card')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX resident_sessions_resident_idx ON resident_sessions (resident_id);


-- The lane's scan with the personal code's version: a code older than its household's codes (a
-- rotated card) records nothing and answers CODE_REVOKED; otherwise record_scan as before
-- (p_code_version NULL: an ID number, no code). Still one statement per batch of scans.
CREATE FUNCTION record_scan_checked(
  p_code_version int,
  p_key uuid, p_round int, p_campaign int, p_site int, p_lane int, p_user int,
  p_barcode text, p_pool int, p_household_only boolean,
  p_resident int, p_blind bytea, p_at timestamptz, p_hash bytea
) RETURNS TABLE (
  outcome text, sample_id bigint, resident_id int, resident_name text, id_masked text,
  tube_id int, tube_people int, pool_size int, sealed boolean,
  repeat_in_round boolean, outside_campaign boolean,
  request_hash bytea, registered_on_spot boolean
) LANGUAGE plpgsql AS $$
BEGIN
  IF p_code_version IS NOT NULL AND p_code_version < coalesce(
       (SELECT h.code_version FROM residents y JOIN households h ON h.id = y.household_id WHERE y.id = p_resident), 0) THEN
    RETURN QUERY SELECT 'CODE_REVOKED'::text, NULL::bigint, NULL::int, NULL::text, NULL::text, NULL::int, NULL::int, NULL::int,
      NULL::boolean, NULL::boolean, NULL::boolean, NULL::bytea, NULL::boolean;
    RETURN;
  END IF;
  RETURN QUERY SELECT * FROM record_scan(p_key, p_round, p_campaign, p_site, p_lane, p_user, p_barcode, p_pool, p_household_only,
                                         p_resident, p_blind, p_at, p_hash);
END;
$$;
