import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BosunError } from '../../core/errors.js';

/** Digest algorithms the OCI image spec registers. */
const ALGORITHMS = new Set(['sha256', 'sha512']);

function hasherFor(digest: string, subject: string): Hash {
  const algorithm = digest.slice(0, digest.indexOf(':'));
  if (!ALGORITHMS.has(algorithm)) {
    throw new BosunError('badInput', `${subject}: unsupported digest algorithm in ${digest}`, { subject });
  }
  return createHash(algorithm);
}

function mismatch(what: string, digest: string, actual: string, subject: string): BosunError {
  return new BosunError(
    'badInput',
    `${what} ${digest} of ${subject} does not match its content (got ${actual})`,
    {
      subject,
    },
  );
}

export function sha256Digest(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Throws a badInput error unless `content` hashes to `digest`. */
export function verifyContent(content: Buffer, digest: string, what: string, subject: string): void {
  const hash = hasherFor(digest, subject).update(content);
  const actual = `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
  if (actual !== digest) throw mismatch(what, digest, actual, subject);
}

/**
 * A pass-through stream that hashes what flows through it and fails at the end, before the
 * consumer sees a clean end, when the bytes do not match `digest` (or `size`, when known).
 */
export function digestVerifier(
  digest: string,
  size: number | undefined,
  what: string,
  subject: string,
): Transform {
  const hash = hasherFor(digest, subject);
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      hash.update(chunk);
      seen += chunk.length;
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      const actual = `${digest.slice(0, digest.indexOf(':'))}:${hash.digest('hex')}`;
      if (actual !== digest) return callback(mismatch(what, digest, actual, subject));
      if (size !== undefined && seen !== size) {
        return callback(
          new BosunError(
            'badInput',
            `${what} ${digest} of ${subject} is ${seen} bytes, its manifest says ${size}`,
            {
              subject,
            },
          ),
        );
      }
      callback();
    },
  });
}
