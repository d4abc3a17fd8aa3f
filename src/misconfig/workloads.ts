import { isObject, type Manifest } from './manifests.js';

/** Where each workload kind keeps its pod template (the path to the template's metadata/spec parent). */
const TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface Workload {
  manifest: Manifest;
  /** Keys from the object's root to the pod spec, for line numbers. */
  specPath: string[];
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type ContainerKind = 'containers' | 'initContainers' | 'ephemeralContainers';
export const CONTAINER_KINDS: readonly ContainerKind[] = [
  'containers',
  'initContainers',
  'ephemeralContainers',
];

export interface Container {
  kind: ContainerKind;
  index: number;
  name: string;
  value: Record<string, unknown>;
}

/** The pod template of a workload object, or undefined for other kinds (and malformed ones). */
export function workloadOf(manifest: Manifest): Workload | undefined {
  const templatePath = TEMPLATE_PATHS[manifest.kind];
  if (!templatePath) return undefined;
  const template = dig(manifest.object, templatePath);
  if (!isObject(template) || !isObject(template.spec)) return undefined;
  const metadata = isObject(template.metadata) ? template.metadata : {};
  return {
    manifest,
    specPath: [...templatePath, 'spec'],
    spec: template.spec,
    labels: stringMap(metadata.labels),
    annotations: stringMap(metadata.annotations),
  };
}

export function containersOf(spec: Record<string, unknown>): Container[] {
  return CONTAINER_KINDS.flatMap((kind) => {
    const list = spec[kind];
    if (!Array.isArray(list)) return [];
    return list.flatMap((value: unknown, index) =>
      isObject(value)
        ? [{ kind, index, name: typeof value.name === 'string' ? value.name : `#${index}`, value }]
        : [],
    );
  });
}

export function dig(value: unknown, keys: readonly (string | number)[]): unknown {
  let v = value;
  for (const k of keys) {
    if (typeof k === 'number' ? !Array.isArray(v) : !isObject(v)) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
}
