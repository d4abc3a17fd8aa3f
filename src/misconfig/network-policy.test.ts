import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { parseManifests } from './manifests.js';
import { checkNetworkPolicies, selectorMatches } from './network-policy.js';

function deployment(name: string, namespace: string, labels: Record<string, string>): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1` }] } },
    },
  };
}

function policy(name: string, namespace: string, spec: object): object {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

const DENY_ALL = { podSelector: {}, policyTypes: ['Ingress', 'Egress'] };

function findings(...objects: object[]): string[] {
  const { manifests } = parseManifests(objects.map((o) => stringify(o)).join('---\n'), 'all.yaml');
  return checkNetworkPolicies(manifests).map((m) => `${m.id} ${m.resource} ${m.message}`);
}

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'frontend' };
  it('matchLabels and each matchExpressions operator', () => {
    assert.equal(selectorMatches({}, labels), true);
    assert.equal(selectorMatches({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { app: 'api' } }, labels), false);
    const expr = (operator: string, values?: string[]) => ({
      matchExpressions: [{ key: 'tier', operator, ...(values ? { values } : {}) }],
    });
    assert.equal(selectorMatches(expr('In', ['frontend', 'edge']), labels), true);
    assert.equal(selectorMatches(expr('In', ['backend']), labels), false);
    assert.equal(selectorMatches(expr('NotIn', ['backend']), labels), true);
    assert.equal(selectorMatches(expr('NotIn', ['frontend']), labels), false);
    assert.equal(selectorMatches(expr('Exists'), labels), true);
    assert.equal(selectorMatches(expr('DoesNotExist'), labels), false);
    assert.equal(selectorMatches(expr('NotIn', ['x']), { app: 'web' }), true);
    assert.equal(selectorMatches(expr('Bogus'), labels), false);
  });
});

describe('checkNetworkPolicies', () => {
  const web = deployment('web', 'shop', { app: 'web' });

  it('a namespace with default deny and a policy selecting each workload passes', () => {
    assert.deepEqual(
      findings(
        web,
        policy('deny', 'shop', DENY_ALL),
        policy('web', 'shop', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [{ from: [{ podSelector: {} }] }],
        }),
      ),
      [],
    );
  });

  it('no policies: both default-deny findings and the workload unselected', () => {
    assert.deepEqual(findings(web), [
      'BOSUN-NET-001 Deployment/shop/web Namespace shop has workloads but no NetworkPolicy that denies all ingress by default',
      'BOSUN-NET-002 Deployment/shop/web Namespace shop has workloads but no NetworkPolicy that denies all egress by default',
      'BOSUN-NET-003 Deployment/shop/web Deployment/shop/web: no NetworkPolicy in namespace shop selects its pods',
    ]);
  });

  it('a deny-ingress policy without policyTypes covers ingress only; policies in other namespaces do not count', () => {
    const found = findings(
      web,
      policy('deny', 'shop', { podSelector: {} }),
      policy('deny', 'other', DENY_ALL),
    );
    assert.deepEqual(
      found.map((f) => f.split(' ')[0]),
      ['BOSUN-NET-002'],
    );
  });

  it('a policy with egress rules and no policyTypes covers egress, but is not a default deny', () => {
    const found = findings(
      web,
      policy('p', 'shop', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] }),
    );
    assert.deepEqual(
      found.map((f) => f.split(' ')[0]),
      ['BOSUN-NET-002'],
    );
  });

  it('workloads the selectors miss', () => {
    const api = deployment('api', 'shop', { app: 'api' });
    const found = findings(
      web,
      api,
      policy('deny', 'shop', {
        podSelector: { matchLabels: { app: 'web' } },
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    assert.deepEqual(found, [
      'BOSUN-NET-001 Deployment/shop/web Namespace shop has workloads but no NetworkPolicy that denies all ingress by default',
      'BOSUN-NET-002 Deployment/shop/web Namespace shop has workloads but no NetworkPolicy that denies all egress by default',
      'BOSUN-NET-003 Deployment/shop/api Deployment/shop/api: no NetworkPolicy in namespace shop selects its pods',
    ]);
  });

  it('rules that allow everything: empty rule, ports only, 0.0.0.0/0 and ::/0; narrow peers pass', () => {
    const open = policy('open', 'shop', {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{}, { ports: [{ port: 443 }] }, { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }],
      egress: [
        { to: [{ ipBlock: { cidr: '::/0' } }] },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] },
        { to: [{ namespaceSelector: {} }] },
      ],
    });
    const found = findings(web, policy('deny', 'shop', DENY_ALL), open);
    assert.deepEqual(found, [
      'BOSUN-NET-004 NetworkPolicy/shop/open ingress[0] allows any peer (no from)',
      'BOSUN-NET-004 NetworkPolicy/shop/open ingress[1] allows any peer (no from)',
      'BOSUN-NET-005 NetworkPolicy/shop/open egress[0] allows ipBlock ::/0',
      'BOSUN-NET-005 NetworkPolicy/shop/open egress[1] allows ipBlock 0.0.0.0/0',
    ]);
  });

  it('objects with no namespace are in "default"', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { a: 'b' } },
      spec: { containers: [] },
    };
    assert.deepEqual(
      findings(pod, policy('deny', 'default', DENY_ALL)).map((f) => f.split(' ')[0]),
      [],
    );
    assert.deepEqual(findings(pod).length, 3);
  });
});
