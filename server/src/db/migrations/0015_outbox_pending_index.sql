-- The dispatcher claims what is due in one channel, queued or with a lapsed lease, oldest first
-- (modules/outbox/deliver.ts). Its condition, status IN ('queued','sending'), matched neither
-- partial index (one per status), so every claim read the whole messages table: 22 ms of a
-- sequential scan per 200 rows at 54,000 messages, growing with the table. One index over both
-- states answers the claim and the rearm's min(next_attempt_at) from the index, whatever the
-- table holds.
DROP INDEX messages_due_idx;
DROP INDEX messages_lease_idx;
CREATE INDEX messages_pending_idx ON messages (channel, next_attempt_at) WHERE status IN ('queued', 'sending');
