import type { Misconfiguration, Severity } from '../core/report.js';
import { isObject, resourceName, type Manifest } from './manifests.js';
import { containersOf, dig, workloadOf, type Container, type Workload } from './workloads.js';

export interface KubernetesOptions {
  /** Registries (host, or host/path prefix) images may come from; empty or absent: any. */
  allowedRegistries?: readonly string[];
}

interface Control {
  id: string;
  title: string;
  severity: Severity;
  remediation: string;
  controls: string[];
  check(w: Workload, opts: KubernetesOptions): Violation[];
}

/** One failure: what is wrong, and the keys (from the pod spec) of the field at fault. */
interface Violation {
  message: string;
  keys: (string | number)[];
}

type Keys = (string | number)[];

const BASELINE = 'PSS-baseline';
const RESTRICTED = 'PSS-restricted';

/** Capabilities the baseline profile lets a container add. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
/** Sysctls the baseline profile allows (namespaced, isolated from other pods). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** The pod-level and every container's securityContext, each with its keys from the pod spec. */
function securityContexts(w: Workload): { where: string; keys: Keys; sc: Record<string, unknown> }[] {
  const pod = isObject(w.spec.securityContext) ? w.spec.securityContext : {};
  return [
    { where: 'pod', keys: ['securityContext'], sc: pod },
    ...containersOf(w.spec).map((c) => ({
      where: containerLabel(c),
      keys: [c.kind, c.index, 'securityContext'],
      sc: containerSc(c),
    })),
  ];
}

function containerSc(c: Container): Record<string, unknown> {
  return isObject(c.value.securityContext) ? c.value.securityContext : {};
}

function containerLabel(c: Container): string {
  const kind =
    c.kind === 'containers'
      ? 'container'
      : c.kind === 'initContainers'
        ? 'init container'
        : 'ephemeral container';
  return `${kind} "${c.name}"`;
}

function perContainer(
  w: Workload,
  test: (c: Container, sc: Record<string, unknown>) => Violation[],
): Violation[] {
  return containersOf(w.spec).flatMap((c) => test(c, containerSc(c)));
}

const CONTROLS: Control[] = [
  {
    id: 'BOSUN-K8S-001',
    title: 'HostProcess container',
    severity: 'HIGH',
    remediation: 'Remove windowsOptions.hostProcess or set it to false',
    controls: [BASELINE],
    check: (w) =>
      securityContexts(w).flatMap(({ where, keys, sc }) =>
        dig(sc, ['windowsOptions', 'hostProcess']) === true
          ? [
              {
                message: `${where}: windowsOptions.hostProcess is true`,
                keys: [...keys, 'windowsOptions', 'hostProcess'],
              },
            ]
          : [],
      ),
  },
  {
    id: 'BOSUN-K8S-002',
    title: 'Host namespaces shared',
    severity: 'HIGH',
    remediation: 'Remove hostNetwork, hostPID and hostIPC (or set them to false)',
    controls: [BASELINE],
    check: (w) =>
      (['hostNetwork', 'hostPID', 'hostIPC'] as const).flatMap((f) =>
        w.spec[f] === true ? [{ message: `${f} is true`, keys: [f] }] : [],
      ),
  },
  {
    id: 'BOSUN-K8S-003',
    title: 'Privileged container',
    severity: 'CRITICAL',
    remediation: 'Remove securityContext.privileged or set it to false',
    controls: [BASELINE],
    check: (w) =>
      perContainer(w, (c, sc) =>
        sc.privileged === true
          ? [
              {
                message: `${containerLabel(c)} is privileged`,
                keys: [c.kind, c.index, 'securityContext', 'privileged'],
              },
            ]
          : [],
      ),
  },
  {
    id: 'BOSUN-K8S-004',
    title: 'Capabilities added beyond the baseline set',
    severity: 'HIGH',
    remediation: `Add only capabilities from: ${[...BASELINE_CAPABILITIES].join(', ')}`,
    controls: [BASELINE],
    check: (w) =>
      perContainer(w, (c, sc) => {
        const extra = stringList(dig(sc, ['capabilities', 'add'])).filter(
          (cap) => !BASELINE_CAPABILITIES.has(cap),
        );
        return extra.length
          ? [
              {
                message: `${containerLabel(c)} adds ${extra.join(', ')}`,
                keys: [c.kind, c.index, 'securityContext', 'capabilities', 'add'],
              },
            ]
          : [];
      }),
  },
  {
    id: 'BOSUN-K8S-005',
    title: 'hostPath volume',
    severity: 'HIGH',
    remediation: 'Use a persistentVolumeClaim, configMap, secret or emptyDir instead of hostPath',
    controls: [BASELINE],
    check: (w) =>
      volumes(w).flatMap(({ v, i, name }) =>
        v.hostPath !== undefined
          ? [
              {
                message: `volume "${name}" mounts host path ${String(dig(v, ['hostPath', 'path']) ?? '')}`,
                keys: ['volumes', i, 'hostPath'],
              },
            ]
          : [],
      ),
  },
  {
    id: 'BOSUN-K8S-006',
    title: 'Host port',
    severity: 'HIGH',
    remediation: 'Remove hostPort; expose the port through a Service',
    controls: [BASELINE],
    check: (w) =>
      perContainer(w, (c) => {
        const ports = Array.isArray(c.value.ports) ? c.value.ports : [];
        return ports.flatMap((p: unknown, i) => {
          const hostPort = dig(p, ['hostPort']);
          return hostPort !== undefined && hostPort !== 0
            ? [
                {
                  message: `${containerLabel(c)} uses hostPort ${String(hostPort)}`,
                  keys: [c.kind, c.index, 'ports', i, 'hostPort'],
                },
              ]
            : [];
        });
      }),
  },
  {
    id: 'BOSUN-K8S-007',
    title: 'AppArmor profile overridden',
    severity: 'HIGH',
    remediation: 'Use the RuntimeDefault or a Localhost AppArmor profile, never Unconfined',
    controls: [BASELINE],
    check: (w) => [
      ...securityContexts(w).flatMap(({ where, keys, sc }) => {
        const type = dig(sc, ['appArmorProfile', 'type']);
        return type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost'
          ? [
              {
                message: `${where}: appArmorProfile.type is ${String(type)}`,
                keys: [...keys, 'appArmorProfile', 'type'],
              },
            ]
          : [];
      }),
      ...Object.entries(w.annotations).flatMap(([key, value]) =>
        key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !value.startsWith('localhost/')
          ? [{ message: `annotation ${key} is ${value}`, keys: [] }]
          : [],
      ),
    ],
  },
  {
    id: 'BOSUN-K8S-008',
    title: 'SELinux options set',
    severity: 'HIGH',
    remediation: 'Leave seLinuxOptions.user and role unset and type one of the container_* types',
    controls: [BASELINE],
    check: (w) =>
      securityContexts(w).flatMap(({ where, keys, sc }) => {
        const opts = isObject(sc.seLinuxOptions) ? sc.seLinuxOptions : {};
        const out: Violation[] = [];
        const at: Keys = [...keys, 'seLinuxOptions'];
        if (opts.type !== undefined && !SELINUX_TYPES.has(String(opts.type)))
          out.push({
            message: `${where}: seLinuxOptions.type is ${String(opts.type)}`,
            keys: [...at, 'type'],
          });
        for (const f of ['user', 'role'])
          if (opts[f] !== undefined && opts[f] !== '')
            out.push({ message: `${where}: seLinuxOptions.${f} is set`, keys: [...at, f] });
        return out;
      }),
  },
  {
    id: 'BOSUN-K8S-009',
    title: 'Non-default /proc mount',
    severity: 'HIGH',
    remediation: 'Remove securityContext.procMount or set it to Default',
    controls: [BASELINE],
    check: (w) =>
      perContainer(w, (c, sc) =>
        sc.procMount !== undefined && sc.procMount !== 'Default'
          ? [
              {
                message: `${containerLabel(c)} has procMount ${String(sc.procMount)}`,
                keys: [c.kind, c.index, 'securityContext', 'procMount'],
              },
            ]
          : [],
      ),
  },
  {
    id: 'BOSUN-K8S-010',
    title: 'Seccomp profile Unconfined',
    severity: 'HIGH',
    remediation: 'Use seccompProfile.type RuntimeDefault or Localhost',
    controls: [BASELINE],
    check: (w) =>
      securityContexts(w).flatMap(({ where, keys, sc }) => {
        const type = dig(sc, ['seccompProfile', 'type']);
        return type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost'
          ? [
              {
                message: `${where}: seccompProfile.type is ${String(type)}`,
                keys: [...keys, 'seccompProfile', 'type'],
              },
            ]
          : [];
      }),
  },
  {
    id: 'BOSUN-K8S-011',
    title: 'Unsafe sysctl',
    severity: 'HIGH',
    remediation: `Set only the safe sysctls: ${[...SAFE_SYSCTLS].join(', ')}`,
    controls: [BASELINE],
    check: (w) => {
      const list = dig(w.spec, ['securityContext', 'sysctls']);
      return (Array.isArray(list) ? list : []).flatMap((s: unknown, i) => {
        const name = dig(s, ['name']);
        return typeof name === 'string' && name !== '' && !SAFE_SYSCTLS.has(name)
          ? [
              {
                message: `sysctl ${name} is not in the safe set`,
                keys: ['securityContext', 'sysctls', i, 'name'],
              },
            ]
          : [];
      });
    },
  },
  {
    id: 'BOSUN-K8S-012',
    title: 'Volume type not allowed by the restricted profile',
    severity: 'MEDIUM',
    remediation: `Use only ${[...RESTRICTED_VOLUME_TYPES].join(', ')} volumes`,
    controls: [RESTRICTED],
    check: (w) =>
      volumes(w).flatMap(({ v, i, name }) => {
        const types = Object.keys(v).filter((k) => k !== 'name' && !RESTRICTED_VOLUME_TYPES.has(k));
        return types.length
          ? [{ message: `volume "${name}" is of type ${types.join(', ')}`, keys: ['volumes', i] }]
          : [];
      }),
  },
  {
    id: 'BOSUN-K8S-013',
    title: 'Privilege escalation allowed',
    severity: 'MEDIUM',
    remediation: 'Set securityContext.allowPrivilegeEscalation: false in every container',
    controls: [RESTRICTED],
    check: (w) =>
      perContainer(w, (c, sc) =>
        sc.allowPrivilegeEscalation !== false
          ? [
              {
                message: `${containerLabel(c)} does not set allowPrivilegeEscalation: false`,
                keys: [c.kind, c.index, 'securityContext', 'allowPrivilegeEscalation'],
              },
            ]
          : [],
      ),
  },
  {
    id: 'BOSUN-K8S-014',
    title: 'Not required to run as non-root',
    severity: 'MEDIUM',
    remediation: 'Set securityContext.runAsNonRoot: true on the pod (and never false on a container)',
    controls: [RESTRICTED],
    check: (w) => {
      const podValue = dig(w.spec, ['securityContext', 'runAsNonRoot']);
      return perContainer(w, (c, sc) => {
        const own = sc.runAsNonRoot;
        const ok = own === true || (own === undefined && podValue === true);
        return ok
          ? []
          : [
              {
                message: `${containerLabel(c)}: runAsNonRoot is ${own === false ? 'false' : 'not set on it or the pod'}`,
                keys:
                  own === undefined
                    ? ['securityContext']
                    : [c.kind, c.index, 'securityContext', 'runAsNonRoot'],
              },
            ];
      });
    },
  },
  {
    id: 'BOSUN-K8S-015',
    title: 'Runs as user 0',
    severity: 'MEDIUM',
    remediation: 'Set runAsUser to a non-zero uid, or leave it unset with runAsNonRoot: true',
    controls: [RESTRICTED],
    check: (w) =>
      securityContexts(w).flatMap(({ where, keys, sc }) =>
        sc.runAsUser === 0 ? [{ message: `${where}: runAsUser is 0`, keys: [...keys, 'runAsUser'] }] : [],
      ),
  },
  {
    id: 'BOSUN-K8S-016',
    title: 'No seccomp profile',
    severity: 'MEDIUM',
    remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod',
    controls: [RESTRICTED],
    check: (w) => {
      const podType = dig(w.spec, ['securityContext', 'seccompProfile', 'type']);
      // Unconfined values are BOSUN-K8S-010's; here only a missing profile fails.
      return podType !== undefined
        ? []
        : perContainer(w, (c, sc) =>
            dig(sc, ['seccompProfile', 'type']) === undefined
              ? [
                  {
                    message: `${containerLabel(c)} has no seccomp profile, nor has the pod`,
                    keys: [c.kind, c.index],
                  },
                ]
              : [],
          );
    },
  },
  {
    id: 'BOSUN-K8S-017',
    title: 'Capabilities not dropped',
    severity: 'MEDIUM',
    remediation: 'Set capabilities.drop: [ALL] and add at most NET_BIND_SERVICE',
    controls: [RESTRICTED],
    check: (w) =>
      perContainer(w, (c, sc) => {
        const out: Violation[] = [];
        const at: Keys = [c.kind, c.index, 'securityContext', 'capabilities'];
        if (!stringList(dig(sc, ['capabilities', 'drop'])).includes('ALL'))
          out.push({ message: `${containerLabel(c)} does not drop ALL capabilities`, keys: [...at, 'drop'] });
        const added = stringList(dig(sc, ['capabilities', 'add'])).filter(
          (cap) => cap !== 'NET_BIND_SERVICE',
        );
        if (added.length)
          out.push({
            message: `${containerLabel(c)} adds ${added.join(', ')} (only NET_BIND_SERVICE is allowed)`,
            keys: [...at, 'add'],
          });
        return out;
      }),
  },
  {
    id: 'BOSUN-K8S-018',
    title: 'Root filesystem writable',
    severity: 'LOW',
    remediation:
      'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir where writes are needed',
    controls: ['CIS-K8S-5.7.3'],
    check: (w) =>
      perContainer(w, (c, sc) =>
        sc.readOnlyRootFilesystem !== true
          ? [
              {
                message: `${containerLabel(c)} has a writable root filesystem`,
                keys: [c.kind, c.index, 'securityContext'],
              },
            ]
          : [],
      ),
  },
  {
    id: 'BOSUN-K8S-019',
    title: 'Resources not limited',
    severity: 'LOW',
    remediation: 'Set resources.requests and resources.limits for cpu and memory',
    controls: ['CIS-K8S-5.7.4'],
    check: (w) =>
      containersOf(w.spec)
        .filter((c) => c.kind !== 'ephemeralContainers') // the API forbids resources on these
        .flatMap((c) => {
          const missing = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'].filter(
            (f) => dig(c.value, ['resources', ...f.split('.')]) === undefined,
          );
          return missing.length
            ? [
                {
                  message: `${containerLabel(c)} lacks resources ${missing.join(', ')}`,
                  keys: [c.kind, c.index, 'resources'],
                },
              ]
            : [];
        }),
  },
  {
    id: 'BOSUN-K8S-020',
    title: 'Image not pinned',
    severity: 'MEDIUM',
    remediation: 'Reference images by digest (image@sha256:…), or at least by a fixed tag',
    controls: ['CIS-DI-4.2'],
    check: (w) =>
      perContainer(w, (c) => {
        const image = typeof c.value.image === 'string' ? c.value.image : '';
        if (!image || image.includes('@sha256:')) return [];
        const tag = tagOf(image);
        return tag === undefined || tag === 'latest'
          ? [
              {
                message: `${containerLabel(c)} uses ${image}${tag ? '' : ' (no tag: latest)'}`,
                keys: [c.kind, c.index, 'image'],
              },
            ]
          : [];
      }),
  },
  {
    id: 'BOSUN-K8S-021',
    title: 'Image from a registry not allowed',
    severity: 'HIGH',
    remediation: 'Pull images only from the allowed registries (mirror what you need there)',
    controls: ['CIS-DI-4.2'],
    check: (w, opts) => {
      const allowed = opts.allowedRegistries ?? [];
      if (!allowed.length) return [];
      return perContainer(w, (c) => {
        const image = typeof c.value.image === 'string' ? c.value.image : '';
        const repo = repositoryOf(image);
        return image && !allowed.some((r) => repo === r || repo.startsWith(`${r.replace(/\/+$/, '')}/`))
          ? [
              {
                message: `${containerLabel(c)} uses ${image}, not from ${allowed.join(', ')}`,
                keys: [c.kind, c.index, 'image'],
              },
            ]
          : [];
      });
    },
  },
  {
    id: 'BOSUN-K8S-022',
    title: 'Service account token mounted',
    severity: 'LOW',
    remediation: 'Set automountServiceAccountToken: false unless the workload calls the Kubernetes API',
    controls: ['CIS-K8S-5.1.6'],
    check: (w) =>
      w.spec.automountServiceAccountToken !== false
        ? [{ message: 'automountServiceAccountToken is not false', keys: ['automountServiceAccountToken'] }]
        : [],
  },
];

/** Every Kubernetes check's id and title, for documentation. */
export const KUBERNETES_CHECKS: readonly Pick<Control, 'id' | 'title' | 'severity' | 'controls'>[] = CONTROLS;

/** Checks every workload among the manifests against the Pod Security Standards and hygiene rules. */
export function checkKubernetes(
  manifests: readonly Manifest[],
  opts: KubernetesOptions = {},
): Misconfiguration[] {
  const found: Misconfiguration[] = [];
  for (const manifest of manifests) {
    const w = workloadOf(manifest);
    if (!w) continue;
    for (const control of CONTROLS) {
      for (const v of control.check(w, opts)) {
        const line = manifest.lineOf(v.keys.length ? [...w.specPath, ...v.keys] : ['metadata']);
        found.push({
          id: control.id,
          title: control.title,
          severity: control.severity,
          message: v.message,
          remediation: control.remediation,
          controls: control.controls,
          path: manifest.path,
          resource: resourceName(manifest),
          ...(line !== undefined ? { line } : {}),
        });
      }
    }
  }
  return found;
}

function volumes(w: Workload): { v: Record<string, unknown>; i: number; name: string }[] {
  const list = Array.isArray(w.spec.volumes) ? w.spec.volumes : [];
  return list.flatMap((v: unknown, i) => (isObject(v) ? [{ v, i, name: String(v.name ?? `#${i}`) }] : []));
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** The tag of an image reference, or undefined (a registry's :port is not a tag). */
function tagOf(image: string): string | undefined {
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : image.slice(colon + 1);
}

/** The repository with its registry, as Docker resolves short names (nginx → docker.io/library/nginx). */
function repositoryOf(image: string): string {
  const name = image.split('@')[0]!;
  const tag = tagOf(name);
  const repo = tag === undefined ? name : name.slice(0, name.length - tag.length - 1);
  const first = repo.split('/')[0]!;
  const hasRegistry =
    repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return repo;
  return repo.includes('/') ? `docker.io/${repo}` : `docker.io/library/${repo}`;
}
