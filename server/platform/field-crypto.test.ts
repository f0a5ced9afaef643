import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../config.js';
import {
  decryptField,
  developmentKeyring,
  encryptField,
  FieldCryptoError,
  fieldHash,
  fieldKeyring,
  keyringFromEnv,
  parseFieldKeys,
  sealedKeyId,
} from './field-crypto.js';

const key = () => randomBytes(32);
const CTX = 'volunteers.id_number';
const ID = '11010519491231002X';

describe('field encryption', () => {
  it('round-trips, with a fresh IV each time (the same value never seals alike)', () => {
    const k = fieldKeyring([key()]);
    const a = encryptField(ID, CTX, k);
    const b = encryptField(ID, CTX, k);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^fe1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toContain(ID);
    expect(decryptField(a, CTX, k)).toBe(ID);
    expect(decryptField(encryptField('', CTX, k), CTX, k)).toBe('');
    expect(decryptField(encryptField('张三 ☃', CTX, k), CTX, k)).toBe('张三 ☃');
  });

  it('detects tampering: any changed byte, a cut value, a swapped key id, another context', () => {
    const k = fieldKeyring([key()]);
    const sealed = encryptField(ID, CTX, k);
    const [v, id, b64] = sealed.split('.') as [string, string, string];
    const blob = Buffer.from(b64, 'base64url');
    for (const at of [0, 12, blob.length - 1]) {
      const bad = Buffer.from(blob);
      bad[at] = bad[at]! ^ 1;
      expect(() => decryptField(`${v}.${id}.${bad.toString('base64url')}`, CTX, k)).toThrow(
        FieldCryptoError,
      );
    }
    expect(() => decryptField(`${v}.${id}.${b64.slice(0, 20)}`, CTX, k)).toThrow(FieldCryptoError);
    expect(() => decryptField(sealed, 'users.phone', k)).toThrow(FieldCryptoError);
    expect(() => decryptField('plain text', CTX, k)).toThrow(FieldCryptoError);
    // A value sealed by another key, relabelled with this key's id, does not open either.
    const other = encryptField(ID, CTX, fieldKeyring([key()]));
    const relabelled = `fe1.${id}.${other.split('.')[2]}`;
    expect(() => decryptField(relabelled, CTX, k)).toThrow(FieldCryptoError);
  });

  it('refuses a wrong key, and opens values of every configured key (rotation)', () => {
    const oldKey = key();
    const newKey = key();
    const before = encryptField(ID, CTX, fieldKeyring([oldKey]));
    expect(() => decryptField(before, CTX, fieldKeyring([newKey]))).toThrow(/not configured/);
    const rotated = fieldKeyring([newKey, oldKey]);
    expect(decryptField(before, CTX, rotated)).toBe(ID);
    const after = encryptField(ID, CTX, rotated);
    expect(sealedKeyId(after)).toBe(rotated.primary.id);
    expect(sealedKeyId(after)).not.toBe(sealedKeyId(before));
  });

  it('hashes for lookups: stable per key and context, different across keys', () => {
    const root = key();
    const k = fieldKeyring([root]);
    expect(fieldHash(ID, CTX, k)).toBe(fieldHash(ID, CTX, fieldKeyring([root])));
    expect(fieldHash(ID, CTX, k)).toMatch(/^[0-9a-f]{64}$/);
    expect(fieldHash(ID, CTX, k)).not.toBe(fieldHash(ID, 'other', k));
    expect(fieldHash(ID, CTX, k)).not.toBe(fieldHash(ID, CTX, fieldKeyring([key()])));
    // Pinning the hash root keeps lookups stable while the encryption key rotates.
    expect(fieldHash(ID, CTX, fieldKeyring([key(), root], root))).toBe(fieldHash(ID, CTX, k));
  });

  it('parses keys in base64 (standard or URL-safe) and refuses anything else clearly', () => {
    const k = key();
    expect(parseFieldKeys(k.toString('base64'))[0]).toEqual(k);
    expect(parseFieldKeys(` ${k.toString('base64url')} , ${k.toString('base64')}`)).toHaveLength(2);
    expect(parseFieldKeys(undefined)).toEqual([]);
    expect(() => parseFieldKeys('c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseFieldKeys('not base64 at all!')).toThrow(/FIELD_ENCRYPTION_KEY/);
  });

  it('outside production falls back to the fixed development key with a warning; production refuses', () => {
    const warn = vi.fn();
    const dev = keyringFromEnv({ NODE_ENV: 'test' }, warn);
    expect(dev.source).toBe('development');
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0]![0]).toMatch(/DEVELOPMENT key/);
    // Fixed: a demo database keeps opening after a restart.
    expect(decryptField(encryptField(ID, CTX, dev), CTX, developmentKeyring())).toBe(ID);
    expect(() => keyringFromEnv({ NODE_ENV: 'production' }, warn)).toThrow(
      /FIELD_ENCRYPTION_KEY must be set in production/,
    );
    const configured = keyringFromEnv(
      { NODE_ENV: 'production', FIELD_ENCRYPTION_KEY: key().toString('base64') },
      warn,
    );
    expect(configured.source).toBe('env');
  });

  it('the configuration refuses to start in production without the key', () => {
    const anchor = 'a'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', AUDIT_ANCHOR_KEY: anchor })).toThrow(
      /FIELD_ENCRYPTION_KEY must be set in production/,
    );
    expect(() =>
      loadConfig({ NODE_ENV: 'production', AUDIT_ANCHOR_KEY: anchor, FIELD_ENCRYPTION_KEY: 'x' }),
    ).toThrow(/32 bytes/);
    const ok = loadConfig({
      NODE_ENV: 'production',
      AUDIT_ANCHOR_KEY: anchor,
      CREDITS_PHONE_KEY: anchor,
      FIELD_ENCRYPTION_KEY: key().toString('base64'),
    });
    expect(ok.fieldEncryptionKeys).toHaveLength(1);
    expect(loadConfig({}).fieldEncryptionKeys).toEqual([]);
  });
});
