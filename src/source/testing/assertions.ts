/** Test-only: the shape every test of a refused input checks. */
import assert from 'node:assert/strict';
import { BosunError } from '../../core/errors.js';

/**
 * For assert.rejects/throws: the error is a BosunError of `kind` whose message mentions each of
 * `mustMention` (the file, flag or image it is about, and what is wrong).
 */
export function bosunError(kind: BosunError['kind'], ...mustMention: string[]) {
  return (err: unknown): true => {
    assert.ok(err instanceof BosunError, `expected a BosunError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    for (const text of mustMention)
      assert.ok(err.message.includes(text), `"${err.message}" mentions ${text}`);
    return true;
  };
}

/** Reads a stream to its end (or its error). */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
