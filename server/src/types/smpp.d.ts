// The part of `smpp` (node-smpp 0.5, CommonJS, no types of its own) the SMS channel, the test
// SMSC and the bare benchmark use. PDU fields are the SMPP 5.0 parameter names.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  /** short_message as the library decodes it: the UDH split off when esm_class says there is one. */
  export interface DecodedMessage {
    udh?: Buffer[];
    message: string | Buffer;
  }

  /** A PDU's fields; which ones are present depends on the command. */
  export interface PduFields {
    command_status?: number;
    sequence_number?: number;
    system_id?: string;
    password?: string;
    system_type?: string;
    interface_version?: number;
    service_type?: string;
    source_addr_ton?: number;
    source_addr_npi?: number;
    source_addr?: string;
    dest_addr_ton?: number;
    dest_addr_npi?: number;
    destination_addr?: string;
    esm_class?: number;
    registered_delivery?: number;
    data_coding?: number | null;
    /** A string is encoded by the library (GSM for data_coding 0, UTF-16BE for 8); a Buffer goes as is. */
    short_message?: string | Buffer | DecodedMessage | { udh: Buffer; message: string | Buffer };
    message_id?: string;
    receipted_message_id?: string;
    message_state?: number;
  }

  export class PDU implements PduFields {
    constructor(command: string, options?: PduFields);
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    system_id?: string;
    password?: string;
    source_addr?: string;
    destination_addr?: string;
    esm_class?: number;
    registered_delivery?: number;
    data_coding?: number | null;
    short_message?: DecodedMessage;
    message_id?: string;
    receipted_message_id?: string;
    message_state?: number;
    isResponse(): boolean;
    response(options?: PduFields): PDU;
    toBuffer(): Buffer;
  }

  type Callback = (pdu: PDU) => void;

  export class Session extends EventEmitter {
    socket: Socket;
    server?: Server;
    /** Writes the PDU; false when the socket is no longer writable (nothing was sent). */
    send(pdu: PDU, responseCallback?: Callback, sendCallback?: Callback): boolean;
    bind_transceiver(options: PduFields, responseCallback?: Callback): boolean;
    submit_sm(options: PduFields, responseCallback?: Callback): boolean;
    deliver_sm(options: PduFields, responseCallback?: Callback): boolean;
    enquire_link(options?: PduFields | Callback, responseCallback?: Callback): boolean;
    unbind(options?: PduFields | Callback, responseCallback?: Callback): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export interface ConnectOptions {
    host: string;
    port: number;
    /** Sends enquire_link every so many milliseconds once connected. */
    auto_enquire_link_period?: number;
    /** Passed to net.connect: turns Nagle's algorithm off. */
    noDelay?: boolean;
  }

  export function connect(options: ConnectOptions, listener?: () => void): Session;
  export function createServer(listener: (session: Session) => void): Server;

  /** Status name → command_status, e.g. ESME_RTHROTTLED → 0x58. */
  export const errors: Record<string, number>;
  export const consts: {
    ESM_CLASS: Record<string, number>;
    MESSAGE_STATE: Record<string, number>;
    REGISTERED_DELIVERY: Record<string, number>;
    ENCODING: Record<string, number>;
    TON: Record<string, number>;
  };
  export const encodings: {
    ASCII: { match(value: string): boolean; encode(value: string): Buffer; decode(value: Buffer): string };
    UCS2: { match(value: string): boolean; encode(value: string): Buffer; decode(value: Buffer): string };
  };

  const smpp: {
    PDU: typeof PDU;
    Session: typeof Session;
    connect: typeof connect;
    createServer: typeof createServer;
    errors: typeof errors;
    consts: typeof consts;
    encodings: typeof encodings;
  };
  export default smpp;
}
