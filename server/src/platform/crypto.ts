// ID numbers at rest: AES-256-GCM ciphertext plus an HMAC-SHA256 blind index for exact
// lookup. Both keys derive (HKDF) from one master key: ID_ENCRYPTION_KEY, or on a laptop
// a key generated once into the data folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface IdVault {
  encrypt(plain: string): Buffer;
  decrypt(cipher: Uint8Array): string;
  /** Deterministic keyed hash of (document type, number): equal inputs, equal index. */
  blindIndex(idType: string, number: string): Buffer;
  /** MAC for printed codes (personal QR codes): a code cannot be forged by editing it. */
  codeMac(data: string): Buffer;
  /** Keyed hash of a request body for idempotency (platform/idempotency.ts): bodies carry ID
   * numbers, and a plain hash of so few possible numbers could be reversed by trying them. */
  requestMac(data: string): Buffer;
}

const KEY_FILE = 'id-master.key';

export function loadMasterKey(envKey: string | undefined, dataDir: string): Buffer {
  if (envKey) {
    const key = Buffer.from(envKey, 'base64');
    if (key.length !== 32) throw new Error('ID_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  const file = path.join(dataDir, KEY_FILE);
  if (fs.existsSync(file)) return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  fs.mkdirSync(dataDir, { recursive: true });
  const key = crypto.randomBytes(32);
  // wx: never overwrite a key another process just wrote; losing the key loses the data.
  fs.writeFileSync(file, key.toString('base64') + '\n', { flag: 'wx', mode: 0o600 });
  return key;
}

export function createIdVault(masterKey: Buffer): IdVault {
  const derive = (info: string) => Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), info, 32));
  const encKey = derive('fangkong id encryption v1');
  const macKey = derive('fangkong id blind index v1');
  const codeKey = derive('fangkong personal code v1');
  const requestKey = derive('fangkong request hash v1');
  return {
    encrypt(plain) {
      const iv = crypto.randomBytes(12);
      const c = crypto.createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      // layout: version(1) | iv(12) | tag(16) | ciphertext
      return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), body]);
    },
    decrypt(cipher) {
      const buf = Buffer.from(cipher);
      if (buf[0] !== 1) throw new Error('unknown ID cipher version');
      const d = crypto.createDecipheriv('aes-256-gcm', encKey, buf.subarray(1, 13));
      d.setAuthTag(buf.subarray(13, 29));
      return Buffer.concat([d.update(buf.subarray(29)), d.final()]).toString('utf8');
    },
    blindIndex(idType, number) {
      return crypto.createHmac('sha256', macKey).update(`${idType}:${number}`).digest();
    },
    codeMac(data) {
      return crypto.createHmac('sha256', codeKey).update(data).digest();
    },
    requestMac(data) {
      return crypto.createHmac('sha256', requestKey).update(data).digest();
    },
  };
}
