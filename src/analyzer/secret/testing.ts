// Realistic fake secrets for the tests: right alphabet and length, from a fixed-seed generator so
// that runs are deterministic, and never a real credential.
import { generateKeyPairSync } from 'node:crypto';

export const ALPHABETS = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  hex: '0123456789abcdef',
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  urlsafe: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  upperDigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
} as const;

let seed = 0x2545f491;
/** xorshift32: deterministic across runs and machines. */
function next(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

export function rand(alphabet: keyof typeof ALPHABETS, length: number): string {
  const chars = ALPHABETS[alphabet];
  let out = '';
  for (let i = 0; i < length; i++) out += chars[next() % chars.length];
  return out;
}

export function uuid(): string {
  return `${rand('hex', 8)}-${rand('hex', 4)}-4${rand('hex', 3)}-a${rand('hex', 3)}-${rand('hex', 12)}`;
}

export function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

/** Real private keys in the formats tools write. */
export function privateKeys(): Record<
  'rsa' | 'pkcs8' | 'encrypted' | 'ec' | 'ed25519' | 'publicKey',
  string
> {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const ed = generateKeyPairSync('ed25519');
  return {
    rsa: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pkcs8: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    encrypted: rsa.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'bosun' })
      .toString(),
    ec: ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
    ed25519: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
