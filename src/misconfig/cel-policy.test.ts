import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { BosunError } from '../core/errors.js';
import { evaluateImagePolicies, loadPolicies, policyChecks } from './cel-policy.js';
import { parseManifests } from './manifests.js';

const dir = (name: string): string => new URL(`./testdata/policies/${name}`, import.meta.url).pathname;

function deployment(replicas: number, image: string): string {
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
  });
}

describe('CEL policies', () => {
  it('loads every ValidatingAdmissionPolicy of a directory, with severity from the annotation', async () => {
    const policies = await loadPolicies(dir('good'));
    assert.deepEqual(
      policies.map((p) => [p.name, p.severity, p.validations.length]),
      [
        ['image-has-maintainer-label', 'MEDIUM', 2],
        ['namespaces-labelled', 'MEDIUM', 1],
        ['max-replicas', 'HIGH', 2],
      ],
    );
  });

  it('validations that return false become findings on the matching kinds only', async () => {
    const check = policyChecks(await loadPolicies(dir('good')));
    const text = [
      deployment(3, 'ghcr.io/acme/web:1'),
      deployment(9, 'docker.io/nginx:1'),
      stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
      stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ok', labels: { team: 'a' } } }),
      stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: {} }),
    ].join('---\n');
    const { manifests } = parseManifests(text, 'm.yaml');
    const found = check(manifests).map((m) => `${m.line} ${m.id} ${m.severity} ${m.resource} ${m.message}`);
    assert.deepEqual(found, [
      '14 POLICY-max-replicas HIGH Deployment/shop/web at most 5 replicas',
      '14 POLICY-max-replicas HIGH Deployment/shop/web images come from ghcr.io/acme',
      "27 POLICY-namespaces-labelled MEDIUM Namespace/shop failed: has(object.metadata.labels) && 'team' in object.metadata.labels",
    ]);
  });

  it('image configs are objects of kind ImageConfig', async () => {
    const policies = await loadPolicies(dir('good'));
    const good = { config: { Labels: { 'org.opencontainers.image.vendor': 'acme' }, Env: ['PATH=/bin'] } };
    assert.deepEqual(evaluateImagePolicies(policies, good, 'acme/app:1'), []);
    const bad = { config: { Env: ['DEBUG=1'] } };
    assert.deepEqual(
      evaluateImagePolicies(policies, bad, 'acme/app:1').map((m) => `${m.resource} ${m.message}`),
      ['ImageConfig/acme/app:1 images name their vendor', 'ImageConfig/acme/app:1 no DEBUG variable'],
    );
  });

  it('a compile error names the file and expression (config error, exit 7)', async () => {
    await assert.rejects(loadPolicies(dir('broken')), (err: unknown) => {
      assert.ok(err instanceof BosunError);
      assert.equal(err.kind, 'config');
      assert.equal(err.exitCode, 7);
      assert.match(
        err.message,
        /broken\/bad\.yaml \(broken\), validations\[0\] "object\.spec\.replicas <= "/,
      );
      return true;
    });
  });

  it('a runtime error names the file, expression and resource', async () => {
    const check = policyChecks(await loadPolicies(dir('runtime-error')));
    const { manifests } = parseManifests(deployment(1, 'x:1'), 'm.yaml');
    assert.throws(
      () => check(manifests),
      (err: unknown) =>
        err instanceof BosunError &&
        err.kind === 'config' &&
        /missing-field\.yaml \(needs-strategy\) "object\.spec\.strategy\.type == 'RollingUpdate'" failed on Deployment\/shop\/web/.test(
          err.message,
        ),
    );
  });

  it('malformed policies and a missing directory', async () => {
    await assert.rejects(loadPolicies('/nonexistent/policies'), { kind: 'notFound' });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const tmp = mkdtempSync('/tmp/bosun-cel-');
    writeFileSync(
      `${tmp}/p.yaml`,
      'kind: ValidatingAdmissionPolicy\nmetadata: {name: x}\nspec: {validations: []}\n',
    );
    await assert.rejects(
      loadPolicies(tmp),
      (err: unknown) =>
        err instanceof BosunError &&
        err.kind === 'config' &&
        /p\.yaml \(x\): spec\.matchConstraints/.test(err.message),
    );
  });
});
