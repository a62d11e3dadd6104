-- The outbox: every message to a person (resident or staff), whatever made it (a sign-in code, a
-- notice, "your result is back") and whatever carries it (in-app, SMS, webhook, Web Push). A row
-- is written in the transaction of what caused it, then the outbox delivers it: queued → sending
-- → sent → delivered (or failed), and read for what a person opens in the app.
-- resident_id / user_id say whom it is for when the system knows (a sign-in code goes to a number).
CREATE TABLE messages (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel          text NOT NULL CHECK (channel IN ('inapp','sms','webhook','push')),
  resident_id      int REFERENCES residents(id),
  user_id          int REFERENCES users(id),
  -- in the channel's own terms (channels/channel.ts OutboundMessage.address)
  address          text NOT NULL,
  subject          text,
  body             text NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
  language         text NOT NULL DEFAULT 'zh-CN',
  -- what made it ('otp', 'notice', 'result', …) and which one (a notice id)
  source           text NOT NULL,
  source_id        text,
  -- the same key is queued once: a retried request or job does not send twice
  dedupe_key       text,
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued','sending','sent','delivered','failed','read')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  -- the peer's id (SMPP message_id), to match its delivery receipt
  provider_id      text,
  failure_code     text,
  failure          text,
  queued_at        timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  delivered_at     timestamptz,
  failed_at        timestamptz,
  read_at          timestamptz
);
CREATE UNIQUE INDEX messages_dedupe_idx ON messages (dedupe_key);
-- what the sender claims next, per channel, oldest first
CREATE INDEX messages_due_idx ON messages (channel, next_attempt_at) WHERE status = 'queued';
CREATE INDEX messages_source_idx ON messages (source, source_id);
CREATE INDEX messages_resident_idx ON messages (resident_id, queued_at DESC);
CREATE INDEX messages_user_idx ON messages (user_id, queued_at DESC) WHERE user_id IS NOT NULL;
CREATE INDEX messages_provider_idx ON messages (channel, provider_id) WHERE provider_id IS NOT NULL;
