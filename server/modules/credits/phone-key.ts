import { createHmac } from 'node:crypto';

// A resident's mobile number is kept only as a keyed hash (for exact lookup) and masked. The key
// is CREDITS_PHONE_KEY (required in production, see config.ts): a copy of the database alone does
// not give the numbers back by hashing all 10^10 of them. Set once at start-up (main.ts, and
// buildApp for the tests) — the grants run inside other modules' transactions, with no config.

const DEVELOPMENT_KEY = 'chuangcheng-development-credits-key-not-for-production';
let key = DEVELOPMENT_KEY;

/** The key of the phone and code hashes (undefined: the development key). */
export function setCreditsKey(k: string | undefined): void {
  key = k || DEVELOPMENT_KEY;
}

/** The lookup hash of a normalised mobile number. */
export function phoneHash(phone: string): string {
  return createHmac('sha256', key).update(`phone:${phone}`).digest('hex');
}

/** The stored hash of a one-time code (an SMS code under its row, a redemption code). */
export function codeHash(purpose: string, code: string): string {
  return createHmac('sha256', key).update(`${purpose}:${code}`).digest('hex');
}
