import type { Document, LineCounter } from 'yaml';
import { yamlLibrary } from '../core/lazy.js';
import type { FileError } from '../core/report.js';

/** One Kubernetes object from a YAML stream, with a way back to its source lines. */
export interface Manifest {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  object: Record<string, unknown>;
  path: string;
  /** The 1-based line of the deepest node that exists along `keys`. */
  lineOf(keys: readonly (string | number)[]): number | undefined;
}

/** `Kind/namespace/name`, or `Kind/name` for objects with no namespace given. */
export function resourceName(m: Manifest): string {
  return m.namespace ? `${m.kind}/${m.namespace}/${m.name}` : `${m.kind}/${m.name}`;
}

/**
 * Parses a YAML stream (`helm template`, `kustomize build` output, a `kind: List`) into its
 * Kubernetes objects. Documents that are not objects with a kind are skipped (values files,
 * other YAML); a document that does not parse becomes an error and the rest are still read.
 */
export function parseManifests(text: string, path: string): { manifests: Manifest[]; errors: FileError[] } {
  const { LineCounter, parseAllDocuments } = yamlLibrary();
  const lines = new LineCounter();
  const manifests: Manifest[] = [];
  const errors: FileError[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false, logLevel: 'error' })) {
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      errors.push({
        path,
        message: `YAML error at line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`,
      });
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (!isObject(value)) continue;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item, i) => {
        const m = toManifest(item, path, doc, lines, ['items', i]);
        if (m) manifests.push(m);
      });
    } else {
      const m = toManifest(value, path, doc, lines, []);
      if (m) manifests.push(m);
    }
  }
  return { manifests, errors };
}

function toManifest(
  value: unknown,
  path: string,
  doc: Document,
  lines: LineCounter,
  prefix: (string | number)[],
): Manifest | undefined {
  if (!isObject(value) || typeof value.kind !== 'string') return undefined;
  const metadata = isObject(value.metadata) ? value.metadata : {};
  return {
    kind: value.kind,
    apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : '',
    name: typeof metadata.name === 'string' ? metadata.name : '(unnamed)',
    ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    object: value,
    path,
    lineOf(keys) {
      const full = [...prefix, ...keys];
      for (let n = full.length; n >= 0; n--) {
        const node = doc.getIn(full.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
