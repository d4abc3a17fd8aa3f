import type { NormalisedSeverity } from '../severity/index.js';

/** One OSV range event; exactly one key is set (https://ossf.github.io/osv-schema/#affectedrangesevents-fields). */
export type RangeEvent =
  { introduced: string } | { fixed: string } | { last_affected: string } | { limit: string };

export interface AffectedRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  repo?: string;
  events: RangeEvent[];
}

/** One `affected[]` entry of an advisory, as stored: ranges and versions normalised. */
export interface AffectedPackage {
  /** Exactly as in the record, release included: "Debian:12", "Alpine:v3.19", "PyPI". */
  ecosystem: string;
  name: string;
  ranges: AffectedRange[];
  versions: string[];
  /** Debian security-tracker urgency (ecosystem_specific.urgency). */
  urgency?: string;
  /** Ubuntu priority (ecosystem_specific.ubuntu_priority). */
  ubuntuPriority?: string;
}

/** An OSV advisory as the store returns it (the full record is available via `VulnDb.raw`). */
export interface Advisory {
  id: string;
  modified: string;
  published?: string;
  /** Set on withdrawn advisories; those are kept (for look-ups by id) but never matched. */
  withdrawn?: string;
  summary?: string;
  details?: string;
  aliases: string[];
  /** OSV `upstream`: the ids this advisory derives from (a DEBIAN-CVE-… names its CVE here). */
  upstream: string[];
  /** OSV `related`: ids of closely related records (Ubuntu lists the CVE here). */
  related: string[];
  severity: NormalisedSeverity;
  /**
   * From `advisoriesFor`: only the entries for the package asked about. From `byId`: all of them.
   */
  affected: AffectedPackage[];
  /** Ecosystem directory of the repository the record was imported from ("Debian", "PyPI"). */
  source: string;
}
