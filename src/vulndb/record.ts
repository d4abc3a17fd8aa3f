import { normaliseSeverity, type NormalisedSeverity } from '../severity/index.js';
import { ecosystemBase, packageKey } from './names.js';
import type { AffectedRange } from './types.js';

/** An OSV record after the basic checks: the fields the store relies on are known to be well-typed. */
export interface CheckedRecord {
  id: string;
  modified: string;
  published?: string;
  withdrawn?: string;
  summary?: string;
  details?: string;
  aliases: string[];
  upstream: string[];
  related: string[];
  affected: CheckedAffected[];
  severity: NormalisedSeverity;
  /** The record exactly as received. */
  json: string;
}

export interface CheckedAffected {
  ecosystem: string;
  name: string;
  nameKey: string;
  ranges: AffectedRange[];
  versions: string[];
  urgency?: string;
  ubuntuPriority?: string;
}

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);
const EVENT_KINDS = new Set(['introduced', 'fixed', 'last_affected', 'limit']);
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Parses and checks one OSV record: the shape the store and the matcher depend on (id, modified,
 * affected packages, range events with exactly one string field). Returns the reason on failure;
 * a full JSON-schema validation would cost more than the import itself.
 */
export function checkRecord(json: string): CheckedRecord | { error: string } {
  let r: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(json);
    if (!isObject(parsed)) return { error: 'not a JSON object' };
    r = parsed;
  } catch (err) {
    return { error: `invalid JSON: ${(err as Error).message}` };
  }
  const id = r.id;
  if (typeof id !== 'string' || !ID.test(id)) return { error: 'missing or malformed "id"' };
  const fail = (what: string) => ({ error: `${id}: ${what}` });
  if (typeof r.modified !== 'string' || Number.isNaN(Date.parse(r.modified)))
    return fail('missing or malformed "modified"');
  for (const key of ['published', 'withdrawn', 'summary', 'details'] as const) {
    if (r[key] !== undefined && typeof r[key] !== 'string') return fail(`"${key}" is not a string`);
  }
  const aliases = stringList(r.aliases);
  const upstream = stringList(r.upstream);
  const related = stringList(r.related);
  if (!aliases || !upstream || !related)
    return fail('"aliases", "upstream" and "related" must be lists of strings');
  if (r.affected !== undefined && !Array.isArray(r.affected)) return fail('"affected" is not a list');
  const affected: CheckedAffected[] = [];
  for (const [i, entry] of ((r.affected as unknown[] | undefined) ?? []).entries()) {
    const checked = checkAffected(entry);
    if (typeof checked === 'string') return fail(`affected[${i}]: ${checked}`);
    if (checked) affected.push(checked);
  }
  return {
    id,
    modified: r.modified,
    published: r.published as string | undefined,
    withdrawn: r.withdrawn as string | undefined,
    summary: r.summary as string | undefined,
    details: r.details as string | undefined,
    aliases,
    upstream,
    related,
    affected,
    severity: normaliseSeverity(r),
    json,
  };
}

/** A checked entry, undefined for an entry without a package (GIT-only upstream entries), or an error. */
function checkAffected(entry: unknown): CheckedAffected | undefined | string {
  if (!isObject(entry)) return 'not an object';
  if (entry.package === undefined) return undefined;
  const pkg = entry.package;
  if (
    !isObject(pkg) ||
    typeof pkg.ecosystem !== 'string' ||
    typeof pkg.name !== 'string' ||
    !pkg.ecosystem ||
    !pkg.name
  ) {
    return 'package needs string "ecosystem" and "name"';
  }
  const versions = stringList(entry.versions);
  if (!versions) return '"versions" must be a list of strings';
  if (entry.ranges !== undefined && !Array.isArray(entry.ranges)) return '"ranges" is not a list';
  const ranges: AffectedRange[] = [];
  for (const range of (entry.ranges as unknown[] | undefined) ?? []) {
    if (!isObject(range) || typeof range.type !== 'string' || !RANGE_TYPES.has(range.type))
      return 'range type must be SEMVER, ECOSYSTEM or GIT';
    if (!Array.isArray(range.events) || range.events.length === 0) return 'range without events';
    for (const event of range.events) {
      const keys = isObject(event) ? Object.keys(event) : [];
      if (
        keys.length !== 1 ||
        !EVENT_KINDS.has(keys[0]!) ||
        typeof (event as Record<string, unknown>)[keys[0]!] !== 'string'
      ) {
        return 'each range event needs exactly one of introduced/fixed/last_affected/limit, a string';
      }
    }
    ranges.push({
      type: range.type as AffectedRange['type'],
      ...(typeof range.repo === 'string' ? { repo: range.repo } : {}),
      events: range.events as AffectedRange['events'],
    });
  }
  const specific = isObject(entry.ecosystem_specific) ? entry.ecosystem_specific : {};
  return {
    ecosystem: pkg.ecosystem,
    name: pkg.name,
    nameKey: packageKey(pkg.ecosystem, pkg.name),
    ranges,
    versions,
    urgency: typeof specific.urgency === 'string' ? specific.urgency : undefined,
    ubuntuPriority: typeof specific.ubuntu_priority === 'string' ? specific.ubuntu_priority : undefined,
  };
}

/** Where a record without a known repository directory is filed: its first affected ecosystem. */
export function defaultSource(record: CheckedRecord): string {
  const first = record.affected[0];
  return first ? ecosystemBase(first.ecosystem) : 'unknown';
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
