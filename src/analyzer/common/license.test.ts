import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeLicense, normalizeLicenses } from './license.js';

describe('normalizeLicense', () => {
  it('maps common spellings to SPDX ids and keeps SPDX and unknown text as written', () => {
    assert.equal(normalizeLicense('Apache License, Version 2.0'), 'Apache-2.0');
    assert.equal(normalizeLicense('License :: OSI Approved :: MIT License'), 'MIT');
    assert.equal(normalizeLicense('GNU General Public License v2 or later (GPLv2+)'), 'GPL-2.0-or-later');
    assert.equal(normalizeLicense('MIT OR Apache-2.0'), 'MIT OR Apache-2.0');
    assert.equal(normalizeLicense('BSD'), 'BSD');
    assert.equal(normalizeLicense('UNKNOWN'), undefined);
    assert.deepEqual(normalizeLicenses(['MIT', 'mit license', '', null, 'ISC']), ['MIT', 'ISC']);
    assert.equal(normalizeLicenses(['UNKNOWN']), undefined);
  });
});
