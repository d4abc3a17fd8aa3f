import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { BosunError } from '../core/errors.js';

const hexLength: Record<string, number> = { sha256: 64, sha512: 128 };

/** Splits and checks `algorithm:hex`; the hex part names a file, so it must be exactly that. */
export function parseDigest(digest: string, label: string): { algorithm: string; hex: string } {
  const match = /^([a-z0-9]+):([a-f0-9]+)$/.exec(digest);
  if (!match || hexLength[match[1]!] !== match[2]!.length) {
    throw new BosunError('badInput', `${label}: "${digest}" is not a supported digest`, { subject: label });
  }
  return { algorithm: match[1]!, hex: match[2]! };
}

/** Where an OCI layout keeps a blob. */
export function blobPath(digest: string, label: string): string {
  const { algorithm, hex } = parseDigest(digest, label);
  return `blobs/${algorithm}/${hex}`;
}

/**
 * The sha256 digest a docker-archive member's name states. The writers name content by its digest:
 * `blobs/sha256/<hex>` (Docker >= 25), `sha256:<hex>` (kaniko, go-containerregistry configs),
 * `<hex>.json` (docker save and skopeo configs: the image ID), `<hex>.tar` and `<hex>.tar.gz`
 * (skopeo, kaniko, go-containerregistry layers). Legacy `<v1-id>/layer.tar` names state none.
 */
export function digestOfArchiveName(name: string): string | undefined {
  const match =
    /^blobs\/sha256\/([a-f0-9]{64})$/.exec(name) ??
    /^sha256:([a-f0-9]{64})$/.exec(name) ??
    /^([a-f0-9]{64})\.(?:json|tar|tar\.gz)$/.exec(name);
  return match ? `sha256:${match[1]}` : undefined;
}

function mismatch(label: string, what: string, digest: string, actual: string): BosunError {
  return new BosunError(
    'badInput',
    `${label}: ${what} does not match its digest ${digest} (content is ${actual})`,
    {
      subject: label,
    },
  );
}

export function verifyBuffer(buf: Buffer, digest: string, label: string, what: string): Buffer {
  const { algorithm } = parseDigest(digest, label);
  const actual = `${algorithm}:${createHash(algorithm).update(buf).digest('hex')}`;
  if (actual !== digest) throw mismatch(label, what, digest, actual);
  return buf;
}

/**
 * Passes `source` through, hashing it; at its end the stream fails with badInput if the bytes do not
 * match `digest`, so a consumer never mistakes a corrupt blob for a complete one.
 */
export function verifyStream(source: Readable, digest: string, label: string, what: string): Readable {
  const { algorithm } = parseDigest(digest, label);
  const hash = createHash(algorithm);
  const check = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const actual = `${algorithm}:${hash.digest('hex')}`;
      done(actual === digest ? null : mismatch(label, what, digest, actual));
    },
  });
  source.on('error', (err) => check.destroy(err));
  check.on('close', () => source.destroy());
  return source.pipe(check);
}
