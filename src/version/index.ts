// Version ordering per OSV ecosystem: the one entry point the matcher and library users need.
import { BosunError } from '../core/errors.js';
import { comparators } from './registry.js';
import type { Ordering, VersionComparator } from './types.js';

export { InvalidVersionError, type Ordering, type VersionComparator } from './types.js';

/** "Debian:12" -> "Debian", "Ubuntu:Pro:22.04:LTS" -> "Ubuntu", "Red Hat:enterprise_linux:9::appstream" -> "Red Hat". */
export function ecosystemFamily(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return (colon === -1 ? ecosystem : ecosystem.slice(0, colon)).trim();
}

/** The comparator for an OSV ecosystem, with or without release suffix; undefined if bosun has none. */
export function getComparator(ecosystem: string): VersionComparator | undefined {
  return comparators.get(ecosystemFamily(ecosystem));
}

/**
 * Orders two versions of one ecosystem. Throws InvalidVersionError (kind badInput) when either
 * version cannot be parsed, and a badInput BosunError for an ecosystem with no comparator.
 */
export function compareVersions(ecosystem: string, a: string, b: string): Ordering {
  const comparator = getComparator(ecosystem);
  if (!comparator)
    throw new BosunError('badInput', `no version comparator for ecosystem "${ecosystem}"`, {
      subject: ecosystem,
    });
  return comparator.compare(a, b);
}
