import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StoredAdvisory } from './stored-advisory.js';
import type { Advisory } from './types.js';

describe('StoredAdvisory', () => {
  const ids = { aliases: ['CVE-2024-1'], upstream: ['CVE-2024-2'], related: [] };
  const severity = { level: 'HIGH', source: 'cvss', scores: [] };
  const affected = [{ ecosystem: 'npm', name: 'x', ranges: [], versions: ['1.0.0'] }];
  const stored = () => {
    const a = new StoredAdvisory(
      'GHSA-1',
      '2024-01-02T00:00:00Z',
      'npm',
      JSON.stringify(ids),
      JSON.stringify(severity),
      affected,
    );
    a.summary = 'a summary';
    return a;
  };

  it('reads its ids and severity from their JSON, once', () => {
    const a = stored();
    assert.deepEqual(a.aliases, ['CVE-2024-1']);
    assert.deepEqual(a.upstream, ['CVE-2024-2']);
    assert.deepEqual(a.related, []);
    assert.equal(a.aliases, a.aliases, 'parsed once, then the same array');
    assert.deepEqual(a.severity, severity);
    assert.equal(a.severity, a.severity);
  });

  it('serialises as the plain advisory, in the same key order, without its JSON text', () => {
    const plain: Advisory = {
      id: 'GHSA-1',
      modified: '2024-01-02T00:00:00Z',
      ...ids,
      severity: severity as Advisory['severity'],
      affected,
      source: 'npm',
      summary: 'a summary',
    };
    assert.equal(JSON.stringify(stored()), JSON.stringify(plain));
  });
});
