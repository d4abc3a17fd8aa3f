import type { z } from 'zod';
import type { VulnerabilityFinding } from '../core/report.js';
import { readConfigFile, type Zod } from './yaml-file.js';

/**
 * `.bosunignore` (YAML):
 *   vulnerabilities:
 *     - id: CVE-2023-1234          # a finding's id or any alias
 *       packages: [openssl]        # optional: only for these package names or purls
 *       expires: 2027-01-31        # optional: stops applying after this day, and says so
 *       reason: accepted until the base image moves to bookworm-slim
 */
const ignoreFileSchema = (z: Zod) => {
  const dateString = z.union([z.string(), z.date()]).transform((value, ctx) => {
    const date = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${String(value)}` });
      return z.NEVER;
    }
    return date;
  });

  return z.strictObject({
    vulnerabilities: z
      .array(
        z.strictObject({
          id: z.string().min(1),
          packages: z.array(z.string().min(1)).optional(),
          expires: dateString.optional(),
          reason: z.string().optional(),
        }),
      )
      .default([]),
  });
};

export type IgnoreRule = z.infer<ReturnType<typeof ignoreFileSchema>>['vulnerabilities'][number];

export async function readIgnoreFile(file: string): Promise<IgnoreRule[]> {
  return (await readConfigFile(file, ignoreFileSchema, 'ignore file')).vulnerabilities;
}

/** An entry applies through the whole day of its expiry date. */
export function isExpired(rule: IgnoreRule, now: Date): boolean {
  if (!rule.expires) return false;
  const endOfDay = new Date(rule.expires);
  endOfDay.setUTCHours(23, 59, 59, 999);
  return now > endOfDay;
}

export function ignoreRuleMatches(rule: IgnoreRule, finding: VulnerabilityFinding): boolean {
  if (rule.id !== finding.id && !finding.aliases.includes(rule.id)) return false;
  if (!rule.packages) return true;
  return rule.packages.some(
    (p) => p === finding.pkgName || (finding.pkgPurl && samePurl(p, finding.pkgPurl)),
  );
}

/** purls compare without qualifiers and subpath: `pkg:npm/lodash@4.17.20` names every build of it. */
export function samePurl(a: string, b: string): boolean {
  const base = (purl: string) => purl.split(/[?#]/)[0]!;
  const [pa, pb] = [base(a), base(b)];
  return (
    pa === pb ||
    (!pa.includes('@') && pb.startsWith(`${pa}@`)) ||
    (!pb.includes('@') && pa.startsWith(`${pb}@`))
  );
}
