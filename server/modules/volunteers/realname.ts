import { checkIdNumber, maskIdNumber } from '../../../core/volunteers/id-number.js';
import {
  decryptField,
  encryptField,
  FieldCryptoError,
  fieldHash,
} from '../../platform/field-crypto.js';
import { AppError } from '../../platform/errors.js';
import type { IdNumberColumns } from './volunteers.repo.js';

// 实名: how a volunteer's 身份证号 is kept. Sealed (AES-256-GCM), hashed for lookups and
// uniqueness, and stored masked for display — reading the registry never decrypts. The one place
// it is opened is for a holder of volunteer.realname (the national export, a reveal), audited.

/** The field-crypto context of the ID number (bound into the seal and the hash). */
export const ID_NUMBER_CONTEXT = 'volunteers.id_number';

/** The keyed hash of a (normalised, valid) ID number. */
export function idNumberHash(value: string): string {
  return fieldHash(value, ID_NUMBER_CONTEXT);
}

/** The columns of an ID number: sealed, hashed, masked; null removes it (all null: 未实名). */
export function idNumberColumns(value: string | null): IdNumberColumns {
  if (value === null) return { idNumberEnc: null, idNumberHash: null, idNumberMasked: null };
  return {
    idNumberEnc: encryptField(value, ID_NUMBER_CONTEXT),
    idNumberHash: idNumberHash(value),
    idNumberMasked: maskIdNumber(value),
  };
}

/** Opens a sealed ID number; a value that does not open (another key, tampered) is a 500 that says so. */
export function openIdNumber(sealed: string): string {
  try {
    return decryptField(sealed, ID_NUMBER_CONTEXT);
  } catch (err) {
    if (!(err instanceof FieldCryptoError)) throw err;
    throw new AppError('field_undecryptable', 500, {
      zh: '身份证号无法解密：加密密钥（FIELD_ENCRYPTION_KEY）缺失或已更换，请联系系统管理员',
      en: 'an ID number cannot be decrypted: its key (FIELD_ENCRYPTION_KEY) is missing or changed; ask the administrator',
    });
  }
}

/** Gender and birth date as the ID number states them (the national sheet's columns). */
export function idNumberFacts(value: string): {
  gender: string;
  genderCode: string;
  birthDate: string;
} {
  const c = checkIdNumber(value);
  if (!c.ok) return { gender: '', genderCode: '', birthDate: '' };
  return {
    gender: c.gender === 'male' ? '男' : '女',
    genderCode: c.gender === 'male' ? '1' : '2',
    birthDate: c.birthDate,
  };
}

/** 409: the ID number is on another volunteer's record (one person registers once). */
export function duplicateIdNumber(masked: string): AppError {
  const msg = {
    zh: `身份证号 ${masked} 已登记在另一名志愿者名下，同一人不能重复登记`,
    en: `ID number ${masked} is already registered to another volunteer; a person registers once`,
  };
  return new AppError('duplicate_id_number', 409, msg, {
    fields: [{ path: 'idNumber', message: `${msg.zh} / ${msg.en}` }],
  });
}

/** An input or row as the audit log keeps it: the ID number masked, never sealed or hashed. */
export function auditable<T extends object>(v: T): Record<string, unknown> {
  const out = { ...v } as Record<string, unknown>;
  if ('idNumber' in out) {
    out.idNumber = typeof out.idNumber === 'string' ? maskIdNumber(out.idNumber) : out.idNumber;
  }
  delete out.idNumberEnc;
  delete out.idNumberHash;
  return out;
}
