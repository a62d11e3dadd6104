// One interface every delivery channel implements (in-app, SMS over SMPP, webhook, Web Push,
// the development SMS page). The outbox calls it; a channel knows nothing of notices or people.

export type ChannelName = 'inapp' | 'sms' | 'webhook' | 'push';

export interface OutboundMessage {
  /** The outbox message id (uuid): carried to the peer where the protocol can hold one, so a retry is recognisable. */
  id: string;
  /**
   * Where it goes, in the channel's own terms: a mobile number (sms: 11 digits, or with the
   * country code, no '+'), an https URL (webhook), a push subscription as JSON (push), or
   * `resident:<id>` / `user:<id>` (inapp).
   */
  address: string;
  /** The final text, already in the recipient's language. */
  body: string;
  subject?: string;
}

export interface SendOutcome {
  /** The peer's id for the message (SMPP message_id), to match its delivery receipt later. */
  providerId?: string;
  /** The peer confirmed delivery in its answer (in-app, webhook 2xx): no receipt will follow. */
  delivered?: boolean;
  /** Nothing left this machine (the development SMS page): the message is marked 'dev', never sent or delivered. */
  devOnly?: boolean;
}

/** A send that failed; `retryable` says whether the outbox should try again later (throttled, disconnected, 5xx). */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

export interface DeliveryReceipt {
  providerId: string;
  status: 'delivered' | 'failed';
  /** The peer's reason for a failure (an SMPP error status, a DLR stat such as UNDELIV). */
  reason?: string;
  at: Date;
}

export interface Channel {
  readonly name: ChannelName;
  /** The most messages per second this channel may send (the outbox paces itself to it). */
  readonly ratePerSecond: number;
  /** Sends one message; throws ChannelError when it could not. */
  send(message: OutboundMessage): Promise<SendOutcome>;
  /** Delivery receipts that arrive later (SMPP deliver_sm). */
  onReceipt(listener: (receipt: DeliveryReceipt) => void): void;
  close(): Promise<void>;
}
