import type { Advisory, AffectedPackage, AffectedRange, RangeEvent } from '../vulndb/types.js';
import { packageKey } from '../vulndb/names.js';
import { getComparator } from '../version/index.js';
import { semverComparator } from './semver-comparator.js';

/** Orders versions of one ecosystem; throws on a version it cannot parse. */
export interface Comparator {
  compare(a: string, b: string): -1 | 0 | 1;
}

export interface Verdict {
  invalidVersion?: undefined;
  affected: boolean;
  /**
   * fixed: affected and a fix version is known; affected: affected, no fix known;
   * not_affected; withdrawn: the advisory was withdrawn; unknown: no range could be evaluated
   * (GIT-only, or event versions the comparator rejects), see notes.
   */
  status: 'fixed' | 'affected' | 'not_affected' | 'withdrawn' | 'unknown';
  /** Fix versions of the ranges that include the version, in record order, no duplicates. */
  fixed: string[];
  notes: string[];
}

/** The installed version cannot be parsed by the ecosystem's comparator: neither safe nor affected. */
export interface InvalidVersion {
  invalidVersion: true;
  version: string;
  reason: string;
}

export type Evaluation = Verdict | InvalidVersion;

/**
 * Whether `version` of package (ecosystem, name) is affected by the advisory, per the OSV spec
 * (https://ossf.github.io/osv-schema/#evaluation): an entry's explicit `versions` list or any of
 * its SEMVER/ECOSYSTEM ranges includes it. SEMVER ranges use SemVer precedence, ECOSYSTEM ranges
 * the given comparator. GIT ranges name commits, not versions: skipped with a note.
 */
export function evaluate(
  advisory: Advisory,
  ecosystem: string,
  name: string,
  version: string,
  comparator: Comparator,
): Evaluation {
  if (advisory.withdrawn) return { affected: false, status: 'withdrawn', fixed: [], notes: [] };
  const entries = entriesFor(advisory, ecosystem, name);
  const notes: string[] = [];
  const fixed: string[] = [];
  let affected = false;
  let evaluated = 0;
  // The installed version is checked once per comparator (SEMVER ranges, ECOSYSTEM ranges).
  let semverChecked = false;
  let ecosystemChecked = false;
  for (const entry of entries) {
    if (entry.versions.includes(version)) affected = true;
    if (entry.versions.length > 0) evaluated++;
    for (const range of entry.ranges) {
      if (range.type === 'GIT') {
        notes.push(`GIT range${range.repo ? ` of ${range.repo}` : ''} skipped: commits are not versions`);
        continue;
      }
      const semver = range.type === 'SEMVER';
      const cmp = semver ? semverComparator : comparator;
      if (!(semver ? semverChecked : ecosystemChecked)) {
        const invalid = checkInstalled(version, cmp, range.type);
        if (invalid) return invalid;
        if (semver) semverChecked = true;
        else ecosystemChecked = true;
      }
      const result = evaluateRange(range, version, cmp);
      if (result === 'unparseable') {
        notes.push(
          `${range.type} range of ${entry.name} has versions the comparator rejects: ${describe(range)}`,
        );
        continue;
      }
      evaluated++;
      if (result.affected) {
        affected = true;
        if (result.fixed !== undefined && !fixed.includes(result.fixed)) fixed.push(result.fixed);
      }
    }
  }
  if (affected) return { affected, status: fixed.length > 0 ? 'fixed' : 'affected', fixed, notes };
  return { affected, status: evaluated === 0 && notes.length > 0 ? 'unknown' : 'not_affected', fixed, notes };
}

/** `evaluate` with the ecosystem's own comparator (src/version), per the internal contracts. */
export function isAffected(advisory: Advisory, ecosystem: string, name: string, version: string): Evaluation {
  return evaluate(advisory, ecosystem, name, version, comparatorFor(ecosystem));
}

/**
 * The ecosystem's comparator; for an ecosystem without one, a comparator that rejects every
 * version, so that ECOSYSTEM ranges come back as an invalid-version result rather than a guess.
 */
export function comparatorFor(ecosystem: string): Comparator {
  return (
    getComparator(ecosystem) ?? {
      compare() {
        throw new Error(`no version comparator for ecosystem ${ecosystem}`);
      },
    }
  );
}

function checkInstalled(version: string, cmp: Comparator, type: string): InvalidVersion | undefined {
  try {
    cmp.compare(version, version);
    return undefined;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { invalidVersion: true, version, reason: `${type} range: ${reason}` };
  }
}

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';
interface Event {
  kind: Kind;
  version: string;
}

function eventOf(e: RangeEvent): Event {
  if ('introduced' in e) return { kind: 'introduced', version: e.introduced };
  if ('fixed' in e) return { kind: 'fixed', version: e.fixed };
  if ('last_affected' in e) return { kind: 'last_affected', version: e.last_affected };
  return { kind: 'limit', version: e.limit };
}

/** "0" (introduced at the beginning of time) sorts first and "*" (no limit) last, whatever the ecosystem. */
function compareEventVersions(a: string, b: string, cmp: Comparator): number {
  if (a === b) return 0;
  if (a === '0' || b === '*') return -1;
  if (b === '0' || a === '*') return 1;
  return cmp.compare(a, b);
}

/**
 * One range: sort events by version, then walk them; the state after the last event at or
 * below `version` decides. `limit` events cap the range: the version must be below one.
 * The fix is the first `fixed` event above the version, if no `last_affected` comes first.
 */
export function evaluateRange(
  range: AffectedRange,
  version: string,
  cmp: Comparator,
): { affected: boolean; fixed?: string } | 'unparseable' {
  let events: Event[];
  try {
    events = range.events.map(eventOf).sort((a, b) => compareEventVersions(a.version, b.version, cmp));
    const limits = events.filter((e) => e.kind === 'limit');
    if (limits.length > 0 && !limits.some((l) => compareEventVersions(version, l.version, cmp) < 0)) {
      return { affected: false };
    }
    let affected = false;
    let next: Event | undefined;
    for (const event of events) {
      const order = compareEventVersions(version, event.version, cmp);
      if (event.kind === 'introduced' && (event.version === '0' || order >= 0)) affected = true;
      else if (event.kind === 'fixed' && order >= 0) affected = false;
      else if (event.kind === 'last_affected' && order > 0) affected = false;
      if (order < 0 && !next && (event.kind === 'fixed' || event.kind === 'last_affected')) next = event;
    }
    return affected && next?.kind === 'fixed' ? { affected, fixed: next.version } : { affected };
  } catch {
    return 'unparseable';
  }
}

function describe(range: AffectedRange): string {
  return range.events.map((e) => `${eventOf(e).kind} ${eventOf(e).version}`).join(', ');
}

/** The affected entries of an advisory for one package (the store already narrows advisoriesFor results). */
export function entriesFor(advisory: Advisory, ecosystem: string, name: string): AffectedPackage[] {
  let key: string | undefined;
  return advisory.affected.filter(
    (a) =>
      a.ecosystem === ecosystem &&
      // the same spelling needs no normalising (the usual case: the store matched it)
      (a.name === name || packageKey(ecosystem, a.name) === (key ??= packageKey(ecosystem, name))),
  );
}
