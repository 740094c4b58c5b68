import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets at rest (sources' connection secrets, sharing's credentials and upstream keys):
 * AES-256-GCM (node:crypto), a random 96-bit nonce per value, the owning row's id as associated
 * data (a sealed value copied to another row does not open), stored as
 * `v1:<base64 nonce|tag|ciphertext>`. See docs/adr/0008-source-security.md.
 */
const PREFIX = 'v1:';
const KEY_FILE = 'source-secret.key';

/** 32 bytes from 64 hex digits or base64 (KUAIJI_SECRET_KEY); null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t) || /^[A-Za-z0-9_-]{43}$/.test(t)) {
    const b = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    return b.length === 32 ? b : null;
  }
  return null;
}

/**
 * The key: the configured one, else `<dataDir>/source-secret.key`, created (0600) at first use.
 * `created` names the file when this call made it, so the caller can say so in the log.
 */
export function loadSecretKey(configured: string | undefined, dataDir: string): { key: string; created: string | null } {
  if (configured) {
    const key = decodeKey(configured);
    if (!key) throw new Error('KUAIJI_SECRET_KEY must be 32 bytes as 64 hex digits or base64');
    return { key: key.toString('hex'), created: null };
  }
  const file = path.join(dataDir, KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting at once never write two different keys.
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
    return { key: readKeyFile(file), created: file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { key: readKeyFile(file), created: null };
  }
}

function readKeyFile(file: string): string {
  const key = decodeKey(fs.readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a 32-byte key (64 hex digits)`);
  return key.toString('hex');
}

export const isSealed = (value: string | null | undefined): value is string => typeof value === 'string' && value.startsWith(PREFIX);

export function seal(plain: string, keyHex: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws when the value was sealed with another key or for another source, or was altered. */
export function unseal(sealed: string, keyHex: string, context: string): string {
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
