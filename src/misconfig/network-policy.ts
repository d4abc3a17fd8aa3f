import type { Misconfiguration, Severity } from '../core/report.js';
import { isObject, resourceName, type Manifest } from './manifests.js';
import { workloadOf, type Workload } from './workloads.js';
import { compareStrings } from '../core/order.js';

const DEFAULT_NAMESPACE = 'default';
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

type Direction = 'Ingress' | 'Egress';

interface Policy {
  manifest: Manifest;
  namespace: string;
  selector: unknown;
  types: Direction[];
  rules: Record<Direction, unknown[]>;
}

function policyOf(m: Manifest): Policy {
  const spec = isObject(m.object.spec) ? m.object.spec : {};
  const ingress = Array.isArray(spec.ingress) ? spec.ingress : [];
  const egress = Array.isArray(spec.egress) ? spec.egress : [];
  // Without policyTypes, Ingress always applies and Egress only when egress rules are given.
  const types = Array.isArray(spec.policyTypes)
    ? (spec.policyTypes.filter((t) => t === 'Ingress' || t === 'Egress') as Direction[])
    : (['Ingress', ...(spec.egress !== undefined ? ['Egress' as const] : [])] as Direction[]);
  return {
    manifest: m,
    namespace: m.namespace ?? DEFAULT_NAMESPACE,
    selector: spec.podSelector ?? {},
    types,
    rules: { Ingress: ingress, Egress: egress },
  };
}

/** Kubernetes label-selector semantics: every matchLabels pair and every expression must hold. */
export function selectorMatches(selector: unknown, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === String(v))) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return expressions.every((e: unknown) => {
    if (!isObject(e) || typeof e.key !== 'string') return false;
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.hasOwn(labels, e.key);
    switch (e.operator) {
      case 'In':
        return has && values.includes(labels[e.key]!);
      case 'NotIn':
        return !has || !values.includes(labels[e.key]!);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

function isEmptySelector(selector: unknown): boolean {
  return (
    isObject(selector) &&
    Object.keys(selector).every((k) => {
      const v = selector[k];
      return Array.isArray(v) ? v.length === 0 : isObject(v) ? Object.keys(v).length === 0 : v == null;
    })
  );
}

function finding(
  id: string,
  title: string,
  severity: Severity,
  message: string,
  remediation: string,
  m: Manifest,
  line?: number,
): Misconfiguration {
  return {
    id,
    title,
    severity,
    message,
    remediation,
    controls: ['CIS-K8S-5.3.2'],
    path: m.path,
    resource: resourceName(m),
    ...(line !== undefined ? { line } : {}),
  };
}

/**
 * Network isolation across every manifest given at once: namespaces with workloads but no
 * default-deny policy, workloads no policy selects, and policies that let everything in or out.
 */
export function checkNetworkPolicies(manifests: readonly Manifest[]): Misconfiguration[] {
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy').map(policyOf);
  const workloads = manifests.map(workloadOf).filter((w): w is Workload => w !== undefined);
  const found: Misconfiguration[] = [];

  const byNamespace = new Map<string, Workload[]>();
  for (const w of workloads) {
    const ns = w.manifest.namespace ?? DEFAULT_NAMESPACE;
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), w]);
  }
  for (const [ns, members] of [...byNamespace].sort(([a], [b]) => compareStrings(a, b))) {
    const local = policies.filter((p) => p.namespace === ns);
    for (const [direction, id] of [
      ['Ingress', 'BOSUN-NET-001'],
      ['Egress', 'BOSUN-NET-002'],
    ] as const) {
      const denies = local.some(
        (p) => isEmptySelector(p.selector) && p.types.includes(direction) && p.rules[direction].length === 0,
      );
      if (!denies) {
        found.push(
          finding(
            id,
            `No default-deny ${direction.toLowerCase()} policy`,
            'MEDIUM',
            `Namespace ${ns} has workloads but no NetworkPolicy that denies all ${direction.toLowerCase()} by default`,
            `Add a NetworkPolicy with podSelector: {} and policyTypes: [${direction}] and no ${direction.toLowerCase()} rules`,
            members[0]!.manifest,
            members[0]!.manifest.lineOf(['metadata']),
          ),
        );
      }
    }
    for (const w of members) {
      if (!local.some((p) => selectorMatches(p.selector, w.labels))) {
        found.push(
          finding(
            'BOSUN-NET-003',
            'Workload selected by no NetworkPolicy',
            'MEDIUM',
            `${resourceName(w.manifest)}: no NetworkPolicy in namespace ${ns} selects its pods`,
            'Add a NetworkPolicy whose podSelector matches the pod template labels',
            w.manifest,
            w.manifest.lineOf([...w.specPath.slice(0, -1), 'metadata', 'labels']),
          ),
        );
      }
    }
  }

  for (const p of policies) {
    for (const [direction, peerKey, id] of [
      ['Ingress', 'from', 'BOSUN-NET-004'],
      ['Egress', 'to', 'BOSUN-NET-005'],
    ] as const) {
      if (!p.types.includes(direction)) continue;
      p.rules[direction].forEach((rule, i) => {
        const peers = isObject(rule) && Array.isArray(rule[peerKey]) ? rule[peerKey] : [];
        const open = peers.length === 0 ? 'any peer (no ' + peerKey + ')' : openCidr(peers);
        if (!open) return;
        const ruleKey = direction === 'Ingress' ? 'ingress' : 'egress';
        found.push(
          finding(
            id,
            `NetworkPolicy allows all ${direction.toLowerCase()}`,
            'HIGH',
            `${ruleKey}[${i}] allows ${open}`,
            `Name the peers: podSelector/namespaceSelector or narrow ipBlock CIDRs`,
            p.manifest,
            p.manifest.lineOf(['spec', ruleKey, i]),
          ),
        );
      });
    }
  }
  return found;
}

function openCidr(peers: unknown[]): string | undefined {
  for (const peer of peers) {
    const block = isObject(peer) && isObject(peer.ipBlock) ? peer.ipBlock : undefined;
    if (block && OPEN_CIDRS.has(String(block.cidr))) return `ipBlock ${String(block.cidr)}`;
  }
  return undefined;
}
