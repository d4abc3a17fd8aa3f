import { readFile } from 'node:fs/promises';
import { BosunError, errorMessage } from '../core/errors.js';
import type { VulnerabilityFinding } from '../core/report.js';
import { samePurl } from './ignore-file.js';

/** One VEX statement, from OpenVEX or CycloneDX VEX, reduced to what suppression needs. */
export interface VexStatement {
  vulnerability: string;
  /** purls (or image names) the statement is about; empty = every product. */
  products: string[];
  status: 'not_affected' | 'fixed' | 'affected' | 'under_investigation';
  justification?: string;
  source: string;
}

/** Statuses that take a finding out of the results. */
export function suppresses(statement: VexStatement): boolean {
  return statement.status === 'not_affected' || statement.status === 'fixed';
}

export async function readVexFile(file: string): Promise<VexStatement[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const kind = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'notFound' : 'config';
    throw new BosunError(kind, `cannot read VEX file ${file}: ${errorMessage(err)}`, { subject: file });
  }
  if (isRecord(doc) && Array.isArray(doc.statements)) return fromOpenVex(doc.statements, file);
  if (isRecord(doc) && doc.bomFormat === 'CycloneDX') return fromCycloneDx(doc.vulnerabilities, file);
  throw new BosunError(
    'config',
    `VEX file ${file} is neither OpenVEX (statements[]) nor CycloneDX VEX (bomFormat)`,
    {
      subject: file,
    },
  );
}

const OPENVEX_STATUS = new Set(['not_affected', 'fixed', 'affected', 'under_investigation']);

function fromOpenVex(statements: unknown[], file: string): VexStatement[] {
  return statements.map((s, i) => {
    const where = `VEX file ${file}: statements[${i}]`;
    if (!isRecord(s)) throw new BosunError('config', `${where} is not an object`, { subject: file });
    const vuln = s.vulnerability;
    const name =
      typeof vuln === 'string'
        ? vuln
        : isRecord(vuln) && typeof vuln.name === 'string'
          ? vuln.name
          : undefined;
    if (!name) throw new BosunError('config', `${where}: vulnerability.name is missing`, { subject: file });
    if (typeof s.status !== 'string' || !OPENVEX_STATUS.has(s.status)) {
      throw new BosunError('config', `${where}: unknown status ${JSON.stringify(s.status)}`, {
        subject: file,
      });
    }
    const products: string[] = [];
    for (const p of Array.isArray(s.products) ? s.products : []) {
      if (typeof p === 'string') products.push(p);
      else if (isRecord(p)) {
        const subs = Array.isArray(p.subcomponents) ? p.subcomponents : [];
        const subIds = subs
          .map((sub) => (isRecord(sub) ? sub['@id'] : sub))
          .filter((x): x is string => typeof x === 'string');
        // A product with subcomponents speaks of those subcomponents inside it.
        if (subIds.length) products.push(...subIds);
        else if (typeof p['@id'] === 'string') products.push(p['@id']);
      }
    }
    return {
      vulnerability: name,
      products,
      status: s.status as VexStatement['status'],
      justification:
        typeof s.justification === 'string'
          ? s.justification
          : typeof s.impact_statement === 'string'
            ? s.impact_statement
            : undefined,
      source: file,
    };
  });
}

/** CycloneDX analysis states mapped onto OpenVEX statuses. */
const CYCLONEDX_STATE: Record<string, VexStatement['status']> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

function fromCycloneDx(vulnerabilities: unknown, file: string): VexStatement[] {
  if (!Array.isArray(vulnerabilities)) return [];
  return vulnerabilities.flatMap((v, i) => {
    const where = `VEX file ${file}: vulnerabilities[${i}]`;
    if (!isRecord(v) || typeof v.id !== 'string')
      throw new BosunError('config', `${where}: id is missing`, { subject: file });
    const analysis = isRecord(v.analysis) ? v.analysis : {};
    const status = typeof analysis.state === 'string' ? CYCLONEDX_STATE[analysis.state] : undefined;
    if (!status) return [];
    const products = (Array.isArray(v.affects) ? v.affects : [])
      .map((a) => (isRecord(a) ? a.ref : undefined))
      .filter((x): x is string => typeof x === 'string');
    const justification = [analysis.justification, analysis.detail]
      .filter((x) => typeof x === 'string')
      .join(': ');
    return [
      { vulnerability: v.id, products, status, justification: justification || undefined, source: file },
    ];
  });
}

/** Does this statement speak of this finding in this artifact? */
export function vexApplies(
  statement: VexStatement,
  finding: VulnerabilityFinding,
  artifactName: string,
): boolean {
  if (statement.vulnerability !== finding.id && !finding.aliases.includes(statement.vulnerability))
    return false;
  if (statement.products.length === 0) return true;
  return statement.products.some(
    (p) =>
      p === artifactName ||
      p === finding.pkgName ||
      (finding.pkgPurl !== undefined && p.startsWith('pkg:') && samePurl(p, finding.pkgPurl)),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
