-- Delivery (modules/outbox/deliver.ts). 'dev': an SMS handled by the development SMS page when no
-- SMS centre is configured. Nothing was sent, so it is neither sent nor delivered; an
-- administrator reads it at /dev-sms.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('queued','sending','sent','delivered','failed','read','dev'));
-- Claims whose lease ran out (the process sending them died): taken again once next_attempt_at passes.
CREATE INDEX messages_lease_idx ON messages (channel, next_attempt_at) WHERE status = 'sending';
-- The development SMS page, newest first.
CREATE INDEX messages_dev_idx ON messages (queued_at DESC) WHERE status = 'dev';
