import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from './main.js';
import { ExitCode } from '../core/errors.js';

test('an unknown flag is a usage error with its own exit code', async () => {
  const stderr = process.stderr.write;
  let written = '';
  process.stderr.write = ((chunk: string) => ((written += chunk), true)) as typeof process.stderr.write;
  try {
    assert.equal(await main(['--no-such-flag']), ExitCode.usage);
  } finally {
    process.stderr.write = stderr;
  }
  assert.match(written, /--no-such-flag/);
});
