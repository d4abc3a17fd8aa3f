import { createHash } from 'node:crypto';
import { BosunError, errorMessage } from '../../core/errors.js';
import { readConfigFile, type Zod } from '../../gate/yaml-file.js';
import { builtinAllowRules, builtinRules } from './rules.js';
import type { AllowRule, SecretRule } from './types.js';

/**
 * The `--secret-config` file:
 *   rules:          [{id, category, title, severity, regex, keywords?, secret-group?, entropy?}]
 *   allow-rules:    [{id, description?, regex?, path?}]   (regex: the secret's value; path: the file)
 *   disable-rules:  [rule id, …]
 *   disable-allow-rules: [built-in allow rule id, …]   (e.g. installed-dependencies, to read node_modules)
 */
const configSchema = (z: Zod) => {
  const severity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']);
  return z.strictObject({
    rules: z
      .array(
        z.strictObject({
          id: z.string().min(1),
          category: z.string().min(1).default('Custom'),
          title: z.string().min(1),
          severity,
          regex: z.string().min(1),
          keywords: z.array(z.string().min(1)).default([]),
          'secret-group': z.number().int().min(0).optional(),
          entropy: z.number().min(0).max(8).optional(),
        }),
      )
      .default([]),
    'allow-rules': z
      .array(
        z
          .strictObject({
            id: z.string().min(1),
            description: z.string().default(''),
            regex: z.string().min(1).optional(),
            path: z.string().min(1).optional(),
          })
          .refine((a) => a.regex !== undefined || a.path !== undefined, {
            message: 'an allow rule needs regex, path or both',
          }),
      )
      .default([]),
    'disable-rules': z.array(z.string().min(1)).default([]),
    'disable-allow-rules': z.array(z.string().min(1)).default([]),
  });
};

/** A checked config, with its regular expressions compiled. */
export interface SecretConfig {
  rules: SecretRule[];
  allowRules: AllowRule[];
  disabledRules: string[];
  /** Built-in allow rules turned off. */
  disabledAllowRules: string[];
  /** sha256 of the file's meaning: part of the analyzer's cache identity. */
  digest: string;
}

export async function loadSecretConfig(file: string): Promise<SecretConfig> {
  const raw = await readConfigFile(file, configSchema, 'secret config');
  const compile = (field: string, source: string): RegExp => {
    try {
      return new RegExp(source);
    } catch (err) {
      throw new BosunError('config', `secret config ${file}: ${field}: ${errorMessage(err)}`, {
        subject: file,
      });
    }
  };
  const known = new Set(builtinRules.map((r) => r.id));
  const rules = raw.rules.map((r, i): SecretRule => {
    if (known.has(r.id)) {
      throw new BosunError(
        'config',
        `secret config ${file}: rules.${i}.id: "${r.id}" is a built-in rule id; pick another or disable the built-in`,
        { subject: file },
      );
    }
    known.add(r.id);
    const regex = compile(`rules.${i}.regex`, r.regex);
    if (r['secret-group'] !== undefined && r['secret-group'] > groupCount(regex)) {
      throw new BosunError(
        'config',
        `secret config ${file}: rules.${i}.secret-group: the regex has only ${groupCount(regex)} group(s)`,
        { subject: file },
      );
    }
    return {
      id: r.id,
      category: r.category,
      title: r.title,
      severity: r.severity,
      regex,
      keywords: r.keywords.map((k) => k.toLowerCase()),
      ...(r['secret-group'] !== undefined ? { secretGroup: r['secret-group'] } : {}),
      ...(r.entropy !== undefined ? { entropy: r.entropy } : {}),
    };
  });
  for (const [i, id] of raw['disable-rules'].entries()) {
    if (!known.has(id)) {
      throw new BosunError('config', `secret config ${file}: disable-rules.${i}: no rule has id "${id}"`, {
        subject: file,
      });
    }
  }
  const builtinAllowIds = new Set(builtinAllowRules.map((a) => a.id));
  for (const [i, id] of raw['disable-allow-rules'].entries()) {
    if (!builtinAllowIds.has(id)) {
      throw new BosunError(
        'config',
        `secret config ${file}: disable-allow-rules.${i}: no built-in allow rule has id "${id}"`,
        { subject: file },
      );
    }
  }
  const allowRules = raw['allow-rules'].map((a, i): AllowRule => ({
    id: a.id,
    description: a.description,
    ...(a.regex !== undefined ? { regex: compile(`allow-rules.${i}.regex`, a.regex) } : {}),
    ...(a.path !== undefined ? { path: compile(`allow-rules.${i}.path`, a.path) } : {}),
  }));
  return {
    rules,
    allowRules,
    disabledRules: raw['disable-rules'],
    disabledAllowRules: raw['disable-allow-rules'],
    digest: createHash('sha256').update(JSON.stringify(raw)).digest('hex'),
  };
}

function groupCount(regex: RegExp): number {
  return new RegExp(`${regex.source}|`).exec('')!.length - 1;
}
