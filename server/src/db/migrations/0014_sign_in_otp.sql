-- Signing in with a code, as one function (issue 13: OTP sign-in p99 under 100 ms at 50
-- clients): the portal sends the sign-ins that arrive together as one statement, this function
-- applied to each in turn, then writes their sessions and audit rows in the same transaction.
-- The number's latest request is locked, so two tries with one code never both succeed and
-- every wrong try is counted. Outcomes: OK (and who signs in), OTP_EXPIRED (none, used or out of
-- time), OTP_LOCKED (too many wrong tries, this one included), OTP_WRONG. p_given is the HMAC of
-- the code given (platform/crypto.ts codeMac); only HMACs are compared, never codes.
CREATE FUNCTION sign_in_otp(p_phone text, p_given bytea, p_max_tries int)
RETURNS TABLE (outcome text, resident_id int, name text, language text, household_id int)
LANGUAGE plpgsql AS $$
DECLARE
  o record;
  rid int;
  rname text;
  rlang text;
  rhousehold int;
BEGIN
  SELECT x.id, x.code_hash, x.expires_at <= now() AS expired, x.used_at IS NOT NULL AS used, x.failed_attempts INTO o
    FROM resident_otps x WHERE x.phone = p_phone ORDER BY x.created_at DESC, x.id DESC LIMIT 1 FOR UPDATE;
  IF NOT FOUND OR o.used OR o.expired THEN
    RETURN QUERY SELECT 'OTP_EXPIRED'::text, NULL::int, NULL::text, NULL::text, NULL::int;
    RETURN;
  END IF;
  IF o.failed_attempts >= p_max_tries THEN
    RETURN QUERY SELECT 'OTP_LOCKED'::text, NULL::int, NULL::text, NULL::text, NULL::int;
    RETURN;
  END IF;
  IF o.code_hash IS NOT NULL AND o.code_hash = p_given THEN
    -- the first (by id) living resident with the number, as the ask chose
    SELECT p.id, p.name, p.language, p.household_id INTO rid, rname, rlang, rhousehold FROM residents p
     WHERE p.phone = p_phone AND p.archived_at IS NULL ORDER BY p.id LIMIT 1;
  END IF;
  IF rid IS NULL THEN
    UPDATE resident_otps SET failed_attempts = failed_attempts + 1 WHERE id = o.id;
    RETURN QUERY SELECT CASE WHEN o.failed_attempts + 1 >= p_max_tries THEN 'OTP_LOCKED' ELSE 'OTP_WRONG' END, NULL::int, NULL::text, NULL::text, NULL::int;
    RETURN;
  END IF;
  UPDATE resident_otps SET used_at = now() WHERE id = o.id;
  RETURN QUERY SELECT 'OK'::text, rid, rname, rlang, rhousehold;
END $$;
