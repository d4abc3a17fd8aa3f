import { compareStrings } from '../core/order.js';
import { createHash } from 'node:crypto';
import type { Package } from '../core/package.js';
import type { Report } from '../core/report.js';

/** Every package of a report, once, in a stable order (by purl, then id), whatever the scan order. */
export function reportPackages(report: Report): Package[] {
  const byId = new Map<string, Package>();
  for (const result of report.results) for (const pkg of result.packages ?? []) byId.set(pkg.id, pkg);
  return [...byId.values()].sort((a, b) => compareStrings(a.purl, b.purl) || compareStrings(a.id, b.id));
}

/** A short content hash: stable ids and document names, so two runs over the same image diff clean. */
export function stableHash(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/**
 * When an SBOM says it was made. SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it;
 * otherwise the report's own creation time.
 */
export function sbomTimestamp(report: Report): Date {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date(report.createdAt);
}

/** A version-4-shaped UUID taken from a hash, so ids are stable for the same content. */
export function uuidFromHash(hex: string): string {
  const h = hex.slice(0, 32).split('');
  h[12] = '4';
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}
