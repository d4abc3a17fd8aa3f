import { createHash } from 'node:crypto';
import type { SecretFinding } from '../../core/report.js';
import { KeywordFilter } from './keywords.js';
import { isPlaceholder, shannonEntropy } from './values.js';
import type { AllowRule, SecretRule } from './types.js';

/** The longest `match` a finding shows: enough context around the secret, never a minified file. */
const MAX_MATCH_LENGTH = 160;

interface CompiledRule {
  rule: SecretRule;
  regex: RegExp;
}

interface Hit {
  rule: SecretRule;
  /** Where the match starts (its line is the finding's line). */
  matchStart: number;
  secretStart: number;
  secretEnd: number;
}

export interface ScannerOptions {
  /** Search every file with every rule (tests compare this with the keyword prefilter). */
  prefilter?: boolean;
}

/** A finding before the applier adds its layer. */
export type RawSecretFinding = Omit<SecretFinding, 'layer' | 'removedInLayer'>;

/**
 * Finds secrets in text with a list of rules. Rules earlier in the list win: a later rule's match
 * overlapping an accepted secret is dropped, so a GitHub token assigned to GITHUB_TOKEN is one
 * github-pat finding, not also a generic one.
 */
export class SecretScanner {
  private readonly rules: CompiledRule[];
  /** Built on first use: a scan whose layers all come from the cache never needs it. */
  private filter?: KeywordFilter;
  private readonly pathAllowRules: AllowRule[];
  private readonly valueAllowRules: AllowRule[];
  private readonly prefilter: boolean;

  constructor(rules: readonly SecretRule[], allowRules: readonly AllowRule[], options: ScannerOptions = {}) {
    this.rules = rules.map((rule) => ({ rule, regex: withFlags(rule.regex, 'gd') }));
    this.pathAllowRules = allowRules.filter((a) => a.path && !a.regex);
    this.valueAllowRules = allowRules.filter((a) => a.regex);
    this.prefilter = options.prefilter ?? true;
  }

  /** Files under an allowed path are never read. */
  isPathAllowed(path: string): boolean {
    return this.pathAllowRules.some((a) => a.path!.test(path));
  }

  /** Scans a file's bytes; files that contain none of the rules' keywords are not decoded. */
  scanBuffer(buffer: Buffer, path: string): RawSecretFinding[] {
    const wanted = this.wantedRules(buffer);
    if (wanted.size === 0) return [];
    return this.scanDecoded(buffer.toString('utf8'), path, wanted).map((f) => f.finding);
  }

  /** The rules to run: those with a keyword in the buffer; without the prefilter, all but context rules lacking theirs. */
  private wantedRules(buffer: Uint8Array): Set<number> {
    this.filter ??= new KeywordFilter(this.rules.map(({ rule }) => rule.keywords));
    const withKeyword = this.filter.matchingGroups(buffer);
    if (this.prefilter) return withKeyword;
    return new Set(this.rules.flatMap(({ rule }, i) => (!rule.context || withKeyword.has(i) ? [i] : [])));
  }

  scanText(text: string, path: string): RawSecretFinding[] {
    return this.scanTextWithFingerprints(text, path).map((f) => f.finding);
  }

  /** Also a fingerprint per finding (sha256 of rule and secret), to tell repeats of one secret apart. */
  scanTextWithFingerprints(text: string, path: string): { finding: RawSecretFinding; fingerprint: string }[] {
    const wanted = this.wantedRules(Buffer.from(text, 'utf8'));
    if (wanted.size === 0) return [];
    return this.scanDecoded(text, path, wanted);
  }

  /** The text with every secret in it masked: for text that is shown whole, like a layer's history line. */
  maskSecrets(text: string): string {
    const wanted = this.wantedRules(Buffer.from(text, 'utf8'));
    if (wanted.size === 0) return text;
    const hits = this.findHits(text, '', wanted);
    if (hits.length === 0) return text;
    const chars = text.split('');
    for (const h of hits)
      for (let i = h.secretStart; i < h.secretEnd; i++) if (chars[i] !== '\n') chars[i] = '*';
    return chars.join('');
  }

  private scanDecoded(
    text: string,
    path: string,
    wanted: ReadonlySet<number>,
  ): { finding: RawSecretFinding; fingerprint: string }[] {
    return this.buildFindings(text, path, this.findHits(text, path, wanted));
  }

  private findHits(text: string, path: string, wanted: ReadonlySet<number>): Hit[] {
    const hits: Hit[] = [];
    for (const [index, { rule, regex }] of this.rules.entries()) {
      if (!wanted.has(index)) continue;
      regex.lastIndex = 0;
      for (let m = regex.exec(text); m; m = regex.exec(text)) {
        if (m[0].length === 0) regex.lastIndex++;
        const span = secretSpan(m, rule);
        if (!span) continue;
        const [start, end] = span;
        if (hits.some((h) => start < h.secretEnd && h.secretStart < end)) continue;
        if (!this.isSecret(rule, text.slice(start, end), path)) continue;
        hits.push({ rule, matchStart: m.index, secretStart: start, secretEnd: end });
      }
    }
    return hits;
  }

  private buildFindings(
    text: string,
    path: string,
    hits: Hit[],
  ): { finding: RawSecretFinding; fingerprint: string }[] {
    if (hits.length === 0) return [];
    const lines = new LineIndex(text);
    return hits
      .sort((a, b) => a.matchStart - b.matchStart)
      .map((hit) => ({
        finding: {
          ruleId: hit.rule.id,
          category: hit.rule.category,
          title: hit.rule.title,
          severity: hit.rule.severity,
          path,
          line: lines.lineOf(hit.matchStart),
          match: maskedLine(text, lines, hit, hits),
        },
        fingerprint: createHash('sha256')
          .update(`${hit.rule.id}\0${text.slice(hit.secretStart, hit.secretEnd)}`)
          .digest('hex'),
      }));
  }

  private isSecret(rule: SecretRule, secret: string, path: string): boolean {
    if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) return false;
    if (rule.placeholderCheck && isPlaceholder(secret)) return false;
    if (rule.validate && !rule.validate(secret)) return false;
    return !this.valueAllowRules.some((a) => a.regex!.test(secret) && (!a.path || a.path.test(path)));
  }
}

function withFlags(regex: RegExp, extra: string): RegExp {
  const flags = new Set([...regex.flags, ...extra]);
  flags.delete('y');
  return new RegExp(regex.source, [...flags].join(''));
}

/** The secret's [start, end) in the text: the rule's group, else the first group that matched, else the match. */
function secretSpan(m: RegExpExecArray, rule: SecretRule): [number, number] | undefined {
  const indices = m.indices!;
  if (rule.secretGroup) return indices[rule.secretGroup] ?? undefined;
  for (let g = 1; g < indices.length; g++) if (indices[g]) return indices[g];
  return indices[0];
}

/** Line numbers of offsets, computed once per file with findings. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  bounds(line: number): [number, number] {
    const start = this.starts[line - 1]!;
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === '\r') end--;
    return [start, end];
  }
}

/** The hit's line with every secret on it masked, cut to a window around the hit. */
function maskedLine(text: string, lines: LineIndex, hit: Hit, hits: readonly Hit[]): string {
  const [start, end] = lines.bounds(lines.lineOf(hit.matchStart));
  const chars = text.slice(start, end).split('');
  for (const h of hits) {
    for (let i = Math.max(h.secretStart, start); i < Math.min(h.secretEnd, end); i++) {
      if (chars[i - start] !== '\n') chars[i - start] = '*';
    }
  }
  let from = 0;
  let to = chars.length;
  if (to > MAX_MATCH_LENGTH) {
    const anchor = Math.max(hit.matchStart, start) - start;
    from = Math.max(0, Math.min(anchor - 40, to - MAX_MATCH_LENGTH));
    to = Math.min(chars.length, from + MAX_MATCH_LENGTH);
  }
  return `${from > 0 ? '…' : ''}${chars.slice(from, to).join('').trim()}${to < chars.length ? '…' : ''}`;
}
