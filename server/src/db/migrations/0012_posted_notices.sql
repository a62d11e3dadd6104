-- An in-app notice to a place is posted, not copied (issue 13: a notice to a district's million
-- residents queued in under 10 s). Writing one outbox row per resident was a million-row insert
-- of 17 to 30 s on the bench machine; a posted notice is its one row, which every resident under
-- its place reads in their own language on their home page, like a notice on the building's board.
-- Only reading is per resident: notice_reads holds who has read it, for the delivery report and
-- the resend of the unread by SMS. Lists (a round's missing or recall list) stay per-person
-- messages: they name people, not a place.
ALTER TABLE notices ADD COLUMN posted boolean NOT NULL DEFAULT false;
CREATE INDEX notices_posted_idx ON notices (place_path) WHERE posted;

CREATE TABLE notice_reads (
  notice_id   int NOT NULL REFERENCES notices(id),
  -- residents are archived, never deleted
  resident_id int NOT NULL,
  read_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notice_id, resident_id)
);
CREATE INDEX notice_reads_resident_idx ON notice_reads (resident_id);
