import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { checkKubernetes } from './kubernetes.js';
import { parseManifests } from './manifests.js';

const testdata = new URL('./testdata/k8s/', import.meta.url);

function check(text: string, allowedRegistries?: string[]): string[] {
  const { manifests, errors } = parseManifests(text, 'm.yaml');
  assert.deepEqual(errors, []);
  return checkKubernetes(manifests, allowedRegistries ? { allowedRegistries } : {}).map((m) => m.id);
}

/** Cases reach into arbitrary fields of the pod to break them, so its shape stays loose. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Pod = Record<string, any>;

/** A pod that passes every workload check; each case changes one thing. */
function compliantPod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', annotations: {} },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/team/app:1.2.3',
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
          resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '1', memory: '64Mi' } },
        },
      ],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}

type Edit = (pod: Pod) => void;
const container = (pod: Pod): Pod => pod.spec.containers[0];
const sc = (pod: Pod): Pod => container(pod).securityContext;

/** [control id, a change that must fail it (and nothing else), changes at its allowed values]. */
const CASES: [string, Edit, Edit[]][] = [
  [
    'BOSUN-K8S-001',
    (p) => (sc(p).windowsOptions = { hostProcess: true }),
    [(p) => (p.spec.securityContext.windowsOptions = { hostProcess: false })],
  ],
  [
    'BOSUN-K8S-002',
    (p) => (p.spec.hostIPC = true),
    [(p) => Object.assign(p.spec, { hostNetwork: false, hostPID: false })],
  ],
  ['BOSUN-K8S-003', (p) => (sc(p).privileged = true), [(p) => (sc(p).privileged = false)]],
  [
    'BOSUN-K8S-004',
    // SYS_ADMIN is beyond baseline; restricted's add rule fails too, so this case expects both.
    (p) => (sc(p).capabilities.add = ['SYS_ADMIN']),
    [],
  ],
  [
    'BOSUN-K8S-005',
    (p) => p.spec.volumes.push({ name: 'h', hostPath: { path: '/var/run/docker.sock' } }),
    [],
  ],
  [
    'BOSUN-K8S-006',
    (p) => (container(p).ports = [{ containerPort: 80, hostPort: 80 }]),
    [(p) => (container(p).ports = [{ containerPort: 80, hostPort: 0 }, { containerPort: 81 }])],
  ],
  [
    'BOSUN-K8S-007',
    (p) => (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'),
    [
      (p) => (sc(p).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-app' }),
      (p) => (p.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' }),
      (p) =>
        (p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'localhost/k8s-app'),
    ],
  ],
  [
    'BOSUN-K8S-008',
    (p) => (p.spec.securityContext.seLinuxOptions = { role: 'sysadm_r' }),
    [
      (p) => (sc(p).seLinuxOptions = { type: 'container_init_t', level: 's0:c123,c456' }),
      (p) => (sc(p).seLinuxOptions = { type: 'container_kvm_t', user: '', role: '' }),
    ],
  ],
  ['BOSUN-K8S-009', (p) => (sc(p).procMount = 'Unmasked'), [(p) => (sc(p).procMount = 'Default')]],
  [
    'BOSUN-K8S-010',
    (p) => (sc(p).seccompProfile = { type: 'Unconfined' }),
    [(p) => (sc(p).seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' })],
  ],
  [
    'BOSUN-K8S-011',
    (p) => (p.spec.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]),
    [
      (p) =>
        (p.spec.securityContext.sysctls = [
          { name: 'kernel.shm_rmid_forced', value: '1' },
          { name: 'net.ipv4.ping_group_range', value: '0 0' },
          { name: 'net.ipv4.tcp_keepalive_probes', value: '5' },
        ]),
    ],
  ],
  [
    'BOSUN-K8S-012',
    (p) => p.spec.volumes.push({ name: 'n', nfs: { server: 'nfs.example.com', path: '/x' } }),
    [
      (p) =>
        p.spec.volumes.push(
          { name: 'c', configMap: { name: 'c' } },
          { name: 's', secret: { secretName: 's' } },
          { name: 'd', persistentVolumeClaim: { claimName: 'd' } },
          { name: 'e', projected: { sources: [] } },
          { name: 'f', downwardAPI: { items: [] } },
          { name: 'g', csi: { driver: 'x' } },
          { name: 'h', ephemeral: { volumeClaimTemplate: {} } },
        ),
    ],
  ],
  ['BOSUN-K8S-013', (p) => delete sc(p).allowPrivilegeEscalation, []],
  [
    'BOSUN-K8S-014',
    (p) => (sc(p).runAsNonRoot = false),
    [
      (p) => {
        delete p.spec.securityContext.runAsNonRoot;
        sc(p).runAsNonRoot = true;
      },
    ],
  ],
  ['BOSUN-K8S-015', (p) => (p.spec.securityContext.runAsUser = 0), [(p) => (sc(p).runAsUser = 1000)]],
  [
    'BOSUN-K8S-016',
    (p) => delete p.spec.securityContext.seccompProfile,
    [
      (p) => {
        delete p.spec.securityContext.seccompProfile;
        sc(p).seccompProfile = { type: 'RuntimeDefault' };
      },
    ],
  ],
  [
    'BOSUN-K8S-017',
    (p) => (sc(p).capabilities = { drop: ['NET_RAW'] }),
    [(p) => (sc(p).capabilities = { drop: ['ALL'], add: ['NET_BIND_SERVICE'] })],
  ],
  ['BOSUN-K8S-018', (p) => (sc(p).readOnlyRootFilesystem = false), []],
  ['BOSUN-K8S-019', (p) => delete container(p).resources.limits.memory, []],
  [
    'BOSUN-K8S-020',
    (p) => (container(p).image = 'nginx'),
    [
      (p) => (container(p).image = 'localhost:5000/app:1.0'),
      (p) => (container(p).image = 'registry.example.com/app@sha256:' + 'a'.repeat(64)),
    ],
  ],
  ['BOSUN-K8S-022', (p) => delete p.spec.automountServiceAccountToken, []],
];

describe('Kubernetes workload checks', () => {
  it('the compliant pod has no findings', () => {
    assert.deepEqual(check(stringify(compliantPod())), []);
  });

  for (const [id, fail, passes] of CASES) {
    it(`${id}: fails when broken, passes at each allowed value`, () => {
      const broken = compliantPod();
      fail(broken);
      const expected =
        id === 'BOSUN-K8S-004'
          ? ['BOSUN-K8S-004', 'BOSUN-K8S-017']
          : id === 'BOSUN-K8S-005'
            ? ['BOSUN-K8S-005', 'BOSUN-K8S-012']
            : [id];
      assert.deepEqual(check(stringify(broken)).sort(), expected);
      for (const pass of passes) {
        const ok = compliantPod();
        pass(ok);
        assert.deepEqual(check(stringify(ok)), [], pass.toString());
      }
    });
  }

  it('every control id is covered by a case (K8S-021 below)', () => {
    const covered = new Set([...CASES.map(([id]) => id), 'BOSUN-K8S-021']);
    assert.equal(covered.size, 22);
  });

  it('capabilities from the baseline list pass baseline but fail restricted', () => {
    const pod = compliantPod();
    sc(pod).capabilities.add = ['CHOWN', 'SETUID', 'SYS_CHROOT'];
    assert.deepEqual(check(stringify(pod)), ['BOSUN-K8S-017']);
  });

  it('BOSUN-K8S-021: images only from allowed registries (Docker Hub short names resolved)', () => {
    const pod = compliantPod();
    pod.spec.initContainers = [{ ...container(pod), name: 'init', image: 'busybox:1.36' }];
    assert.deepEqual(check(stringify(pod), ['registry.example.com/team']), ['BOSUN-K8S-021']);
    assert.deepEqual(check(stringify(pod), ['registry.example.com', 'docker.io/library']), []);
    assert.deepEqual(check(stringify(pod), ['registry.example.com/tea']), ['BOSUN-K8S-021', 'BOSUN-K8S-021']);
  });

  it('a restricted Deployment with init container and network policies: no findings', () => {
    const { manifests } = parseManifests(
      readFileSync(new URL('restricted.yaml', testdata), 'utf8'),
      'r.yaml',
    );
    assert.equal(manifests.length, 4);
    assert.deepEqual(checkKubernetes(manifests), []);
  });

  it('insecure DaemonSet, CronJob and Pod: each finding with its resource and line', () => {
    const { manifests } = parseManifests(readFileSync(new URL('insecure.yaml', testdata), 'utf8'), 'i.yaml');
    const found = checkKubernetes(manifests).map((m) => `${m.line} ${m.id} ${m.resource}`);
    const ds = 'DaemonSet/monitoring/node-agent';
    const cj = 'CronJob/monitoring/backup';
    for (const expected of [
      `14 BOSUN-K8S-002 ${ds}`, // hostNetwork
      `15 BOSUN-K8S-002 ${ds}`, // hostPID
      `20 BOSUN-K8S-003 ${ds}`, // privileged
      `23 BOSUN-K8S-006 ${ds}`, // hostPort
      `29 BOSUN-K8S-005 ${ds}`, // hostPath
      `46 BOSUN-K8S-015 ${cj}`, // runAsUser: 0
      `48 BOSUN-K8S-010 ${cj}`, // Unconfined
      `51 BOSUN-K8S-020 ${cj}`, // postgres, untagged
      `54 BOSUN-K8S-004 ${cj}`, // SYS_ADMIN
      `55 BOSUN-K8S-009 ${cj}`, // Unmasked
      `57 BOSUN-K8S-008 ${cj}`, // seLinux user
      `58 BOSUN-K8S-008 ${cj}`, // spc_t
      `68 BOSUN-K8S-007 Pod/debug`,
      `70 BOSUN-K8S-011 Pod/debug`,
      `73 BOSUN-K8S-001 Pod/debug`,
      `76 BOSUN-K8S-020 Pod/debug`, // ephemeral container busybox:latest
    ]) {
      assert.ok(found.includes(expected), `${expected} in\n${found.join('\n')}`);
    }
    assert.equal(found.length, 43);
  });

  it('a List of objects and documents that are not Kubernetes objects', () => {
    const list = stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [compliantPod(), { ...compliantPod(), spec: { ...compliantPod().spec, hostPID: true } }],
    });
    assert.deepEqual(check(`${list}\n---\nreplicaCount: 3\n---\n- a\n`), ['BOSUN-K8S-002']);
  });

  it('a broken document is an error with its line; the others are still read', () => {
    const { manifests, errors } = parseManifests(
      `${stringify(compliantPod())}---\nkind: Pod\nspec: [oops\n`,
      'x.yaml',
    );
    assert.equal(manifests.length, 1);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!.message, /^YAML error at line \d+/);
  });
});

describe('YAML found in images', () => {
  it('a mapping with a collection as its key is read without a warning on stderr', async () => {
    // Such YAML (test data of YAML libraries) is common in images; the parser's warning would
    // reach the user's terminal through process.emitWarning.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const { manifests } = parseManifests(
        'kind: X\nmetadata:\n  name: a\nspec:\n  ? [x, y]\n  : 1\n',
        'k.yaml',
      );
      assert.equal(manifests.length, 1);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });
});
