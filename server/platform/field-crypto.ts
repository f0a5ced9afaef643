import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
} from 'node:crypto';

// Field encryption for personal data kept in the database (身份证号 first): AES-256-GCM with a
// random 96-bit IV per value, and a keyed hash (HMAC-SHA256) for equality lookups — duplicate
// detection and matching an import's rows — without decrypting anything.
//
// Stored value: `fe1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`. The key id (8 hex characters of
// a hash of the key) names the key that sealed the value, so FIELD_ENCRYPTION_KEY can hold several
// keys: the first seals, every one opens (rotation: put the new key first, keep the old one until
// every value has been re-sealed). The context (e.g. `volunteers.id_number`) is bound into the tag
// as associated data: a value copied into another column does not open there.
//
// The lookup hash uses its own key, derived (HKDF-SHA256) from FIELD_HASH_KEY when set, else from
// the first FIELD_ENCRYPTION_KEY. Rotating the encryption key changes the hash key with it unless
// FIELD_HASH_KEY is set to the old key first (docs/operations.md).

const VERSION = 'fe1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FieldKey {
  id: string;
  key: Buffer;
}

export interface FieldKeyring {
  /** Seals new values. */
  primary: FieldKey;
  /** Every key that may open a value, by id. */
  keys: ReadonlyMap<string, FieldKey>;
  /** The HMAC key of `fieldHash`. */
  hashKey: Buffer;
  /** `env` in a real installation; `development` for the fixed key of dev, test and demo. */
  source: 'env' | 'development';
}

/** A sealed value that does not open: tampered, cut short, or sealed under a key not configured. */
export class FieldCryptoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldCryptoError';
  }
}

/** The id of a key: 8 hex characters of SHA-256 over a label and the key. */
export function fieldKeyId(key: Buffer): string {
  return createHash('sha256').update('cc-field-key-id.v1').update(key).digest('hex').slice(0, 8);
}

/**
 * Parses FIELD_ENCRYPTION_KEY (or FIELD_HASH_KEY): comma-separated keys, each 32 bytes in base64
 * (standard or URL-safe), e.g. from `openssl rand -base64 32`. Throws with a clear message.
 */
export function parseFieldKeys(raw: string | undefined, name = 'FIELD_ENCRYPTION_KEY'): Buffer[] {
  const parts = (raw ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return parts.map((p, i) => {
    const b64 = p.replace(/-/g, '+').replace(/_/g, '/');
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) {
      throw new Error(
        `${name}: key ${i + 1} must be 32 bytes in base64 (44 characters, e.g. from ` +
          '`openssl rand -base64 32`)',
      );
    }
    return key;
  });
}

/** A keyring from keys (the first seals) and the root of the hash key (default: the first key). */
export function fieldKeyring(
  keys: Buffer[],
  hashRoot: Buffer | undefined = undefined,
  source: FieldKeyring['source'] = 'env',
): FieldKeyring {
  if (!keys.length) throw new Error('a field keyring needs at least one key');
  const list = keys.map((key) => ({ id: fieldKeyId(key), key }));
  return {
    primary: list[0]!,
    keys: new Map(list.map((k) => [k.id, k])),
    hashKey: Buffer.from(
      hkdfSync('sha256', hashRoot ?? keys[0]!, Buffer.alloc(0), 'cc-field-hash.v1', 32),
    ),
    source,
  };
}

/**
 * The fixed key of development, tests and the demo: derived here from a public label, so a demo
 * database keeps opening across restarts — and so it protects nothing. Never used in production
 * (the configuration refuses to start there without FIELD_ENCRYPTION_KEY).
 */
export function developmentKeyring(): FieldKeyring {
  const key = createHash('sha256')
    .update('chuangcheng development field key — public, never for real data')
    .digest();
  return fieldKeyring([key], undefined, 'development');
}

export const DEVELOPMENT_KEY_WARNING =
  '!!! FIELD_ENCRYPTION_KEY is not set: 身份证号 and other protected fields are encrypted with the ' +
  'fixed DEVELOPMENT key, which is public. Fine for a demo or tests; for real data set ' +
  'FIELD_ENCRYPTION_KEY (`openssl rand -base64 32`, the same on every app server, a copy kept off ' +
  'the servers) — it is required with NODE_ENV=production. !!!';

/**
 * The keyring of the settings: FIELD_ENCRYPTION_KEY (and FIELD_HASH_KEY), or outside production
 * the development keyring with a loud warning. In production a missing key is an error.
 */
export function keyringFromSettings(
  s: { keys: Buffer[]; hashKey: Buffer | undefined; production: boolean },
  warn: (msg: string) => void,
): FieldKeyring {
  if (s.keys.length) return fieldKeyring(s.keys, s.hashKey);
  if (s.production) throw new Error(MISSING_IN_PRODUCTION);
  warn(DEVELOPMENT_KEY_WARNING);
  return developmentKeyring();
}

export const MISSING_IN_PRODUCTION =
  'FIELD_ENCRYPTION_KEY must be set in production (NODE_ENV=production): it encrypts 身份证号 and ' +
  'other protected fields. Generate one with `openssl rand -base64 32`, give every app server the ' +
  'same one and keep a copy outside the servers (docs/operations.md)';

/** The keyring of the environment variables (what a process uses unless one was installed). */
export function keyringFromEnv(
  env: NodeJS.ProcessEnv,
  warn: (msg: string) => void = (m) => console.warn(m),
): FieldKeyring {
  const hash = parseFieldKeys(env.FIELD_HASH_KEY, 'FIELD_HASH_KEY');
  return keyringFromSettings(
    {
      keys: parseFieldKeys(env.FIELD_ENCRYPTION_KEY),
      hashKey: hash[0],
      production: env.NODE_ENV === 'production',
    },
    warn,
  );
}

let installed: FieldKeyring | undefined;

/** Makes `k` the process's keyring (main.ts, at start-up, from the configuration). */
export function installFieldKeyring(k: FieldKeyring): void {
  installed = k;
}

/** The process's keyring: the one installed, else the environment's (warning once if it is the development one). */
export function activeFieldKeyring(): FieldKeyring {
  installed ??= keyringFromEnv(process.env);
  return installed;
}

const aad = (keyId: string, context: string) => Buffer.from(`${VERSION}.${keyId}.${context}`);

/** Seals a value under the primary key; `context` names where it is stored (bound into the tag). */
export function encryptField(
  plain: string,
  context: string,
  keyring: FieldKeyring = activeFieldKeyring(),
): string {
  const { id, key } = keyring.primary;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad(id, context));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const blob = Buffer.concat([iv, body, cipher.getAuthTag()]);
  return `${VERSION}.${id}.${blob.toString('base64url')}`;
}

/** Opens a sealed value; FieldCryptoError when it was changed, cut, or its key is not configured. */
export function decryptField(
  sealed: string,
  context: string,
  keyring: FieldKeyring = activeFieldKeyring(),
): string {
  const [version, keyId, b64, more] = sealed.split('.');
  if (version !== VERSION || !keyId || b64 === undefined || more !== undefined) {
    throw new FieldCryptoError('not a sealed field value');
  }
  const key = keyring.keys.get(keyId);
  if (!key) throw new FieldCryptoError(`sealed under key ${keyId}, which is not configured`);
  const blob = Buffer.from(b64, 'base64url');
  if (blob.length < IV_BYTES + TAG_BYTES) throw new FieldCryptoError('sealed value cut short');
  const decipher = createDecipheriv('aes-256-gcm', key.key, blob.subarray(0, IV_BYTES));
  decipher.setAAD(aad(keyId, context));
  decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(blob.subarray(IV_BYTES, blob.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new FieldCryptoError('sealed value does not open: changed, or another key or place');
  }
}

/** The key id a sealed value names (which key re-sealing would replace). */
export function sealedKeyId(sealed: string): string | null {
  const [version, keyId] = sealed.split('.');
  return version === VERSION && keyId ? keyId : null;
}

/**
 * The keyed hash of a value for equality lookups (hex, 64 characters): the same value in the same
 * context always gives the same hash; without the key it cannot be computed, so a list of hashes
 * cannot be reversed by trying every ID number.
 */
export function fieldHash(
  value: string,
  context: string,
  keyring: FieldKeyring = activeFieldKeyring(),
): string {
  return createHmac('sha256', keyring.hashKey).update(`${context}\0${value}`).digest('hex');
}
