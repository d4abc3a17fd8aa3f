import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from '@marcbachmann/cel-js';
import { z } from 'zod';
import { BosunError, errorMessage } from '../core/errors.js';
import type { ImageConfig } from '../core/image.js';
import type { Misconfiguration, Severity } from '../core/report.js';
import { parseManifests, resourceName, type Manifest } from './manifests.js';

/** The kind an image config has when policies see it as `object`. */
export const IMAGE_CONFIG_KIND = 'ImageConfig';
export const IMAGE_CONFIG_API_VERSION = 'bosun.dev/v1';
const SEVERITY_ANNOTATION = 'bosun.dev/severity';

const policySchema = z.object({
  metadata: z.object({ name: z.string().min(1), annotations: z.record(z.string(), z.string()).optional() }),
  spec: z.object({
    matchConstraints: z.object({
      resourceRules: z
        .array(
          z.object({
            apiGroups: z.array(z.string()).optional(),
            resources: z.array(z.string()).min(1),
          }),
        )
        .min(1),
    }),
    validations: z.array(z.object({ expression: z.string().min(1), message: z.string().optional() })).min(1),
  }),
});

type Program = ReturnType<typeof parse>;

export interface CelPolicy {
  name: string;
  file: string;
  severity: Severity;
  rules: { apiGroups?: string[]; resources: string[] }[];
  validations: { expression: string; message?: string; program: Program }[];
}

/** Reads every ValidatingAdmissionPolicy in a directory's YAML files (or one file), compiling each expression. */
export async function loadPolicies(dirOrFile: string): Promise<CelPolicy[]> {
  const info = await stat(dirOrFile).catch((err: unknown) => {
    throw new BosunError('notFound', `--policy ${dirOrFile}: ${errorMessage(err)}`, { subject: dirOrFile });
  });
  const files = info.isDirectory()
    ? (await readdir(dirOrFile))
        .filter((f) => /\.ya?ml$/i.test(f))
        .sort()
        .map((f) => path.join(dirOrFile, f))
    : [dirOrFile];
  const policies: CelPolicy[] = [];
  for (const file of files) {
    const { manifests, errors } = parseManifests(await readFile(file, 'utf8'), file);
    if (errors.length)
      throw new BosunError('config', `policy ${file}: ${errors[0]!.message}`, { subject: file });
    for (const m of manifests.filter((x) => x.kind === 'ValidatingAdmissionPolicy'))
      policies.push(compile(m, file));
  }
  return policies;
}

function compile(m: Manifest, file: string): CelPolicy {
  const parsed = policySchema.safeParse(m.object);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BosunError('config', `policy ${file} (${m.name}): ${issue.path.join('.')}: ${issue.message}`, {
      subject: file,
    });
  }
  const { metadata, spec } = parsed.data;
  const severity = (metadata.annotations?.[SEVERITY_ANNOTATION] ?? 'MEDIUM').toUpperCase();
  if (!['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'].includes(severity)) {
    throw new BosunError(
      'config',
      `policy ${file} (${metadata.name}): unknown ${SEVERITY_ANNOTATION} "${severity}"`,
      {
        subject: file,
      },
    );
  }
  return {
    name: metadata.name,
    file,
    severity: severity as Severity,
    rules: spec.matchConstraints.resourceRules,
    validations: spec.validations.map((v, i) => {
      try {
        return { ...v, program: parse(v.expression) };
      } catch (err) {
        throw new BosunError(
          'config',
          `policy ${file} (${metadata.name}), validations[${i}] "${v.expression}": ${firstLine(err)}`,
          { subject: file, cause: err },
        );
      }
    }),
  };
}

/** `deployments` for Deployment, `networkpolicies` for NetworkPolicy, as resourceRules name kinds. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  if (k.endsWith('s')) return `${k}es`;
  return `${k}s`;
}

function matches(policy: CelPolicy, kind: string, apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  return policy.rules.some(
    (r) =>
      (!r.apiGroups?.length || r.apiGroups.includes('*') || r.apiGroups.includes(group)) &&
      (r.resources.includes('*') || r.resources.includes(pluralOf(kind))),
  );
}

/** Evaluates one object against every policy that matches its kind; a false validation is a finding. */
export function evaluatePolicies(
  policies: readonly CelPolicy[],
  object: Record<string, unknown>,
  where: { kind: string; apiVersion: string; resource: string; path?: string; line?: number },
): Misconfiguration[] {
  const found: Misconfiguration[] = [];
  for (const policy of policies) {
    if (!matches(policy, where.kind, where.apiVersion)) continue;
    for (const v of policy.validations) {
      let result: unknown;
      try {
        result = v.program({ object, oldObject: null, params: null });
      } catch (err) {
        throw new BosunError(
          'config',
          `policy ${policy.file} (${policy.name}) "${v.expression}" failed on ${where.resource}: ${firstLine(err)}`,
          { subject: policy.file, cause: err },
        );
      }
      if (typeof result !== 'boolean') {
        throw new BosunError(
          'config',
          `policy ${policy.file} (${policy.name}) "${v.expression}" returned ${typeof result} on ${where.resource}, not a bool`,
          { subject: policy.file },
        );
      }
      if (!result) {
        found.push({
          id: `POLICY-${policy.name}`,
          title: `Policy ${policy.name}`,
          severity: policy.severity,
          message: v.message ?? `failed: ${v.expression}`,
          controls: [`policy:${policy.name}`],
          resource: where.resource,
          ...(where.path !== undefined ? { path: where.path } : {}),
          ...(where.line !== undefined ? { line: where.line } : {}),
        });
      }
    }
  }
  return found;
}

/** The policies as an extra check on parsed manifests (for `bosun config`). */
export function policyChecks(
  policies: readonly CelPolicy[],
): (manifests: readonly Manifest[]) => Misconfiguration[] {
  return (manifests) =>
    manifests.flatMap((m) =>
      evaluatePolicies(policies, m.object, {
        kind: m.kind,
        apiVersion: m.apiVersion,
        resource: resourceName(m),
        path: m.path,
        ...(m.lineOf([]) !== undefined ? { line: m.lineOf([])! } : {}),
      }),
    );
}

/** An image config as policies see it: `object.config.User`, `object.history`, … with kind ImageConfig. */
export function evaluateImagePolicies(
  policies: readonly CelPolicy[],
  config: ImageConfig,
  imageName: string,
): Misconfiguration[] {
  const object = {
    apiVersion: IMAGE_CONFIG_API_VERSION,
    kind: IMAGE_CONFIG_KIND,
    metadata: { name: imageName },
    ...config,
  };
  return evaluatePolicies(policies, object as Record<string, unknown>, {
    kind: IMAGE_CONFIG_KIND,
    apiVersion: IMAGE_CONFIG_API_VERSION,
    resource: `${IMAGE_CONFIG_KIND}/${imageName}`,
  });
}

function firstLine(err: unknown): string {
  return errorMessage(err).split('\n')[0]!;
}
