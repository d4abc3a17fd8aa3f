// Maven's ComparableVersion (maven-artifact 3.8), written for bosun: a version is a list of
// items split at ".", "-" and digit/letter changes; "-", those changes and a qualifier after "."
// at the end or before digits open a sub-list.
// Trailing zeros and release qualifiers ("", ga, final, release) are trimmed from each list, and
// qualifiers order alpha < beta < milestone < rc = cr < snapshot < "" < sp < anything else
// (lexically). Numbers beat qualifiers and sub-lists; a sub-list beats a qualifier.
import {
  compareDigits,
  InvalidVersionError,
  sign,
  type Ordering,
  type VersionComparator,
  parsedComparator,
} from './types.js';
import { compareStrings } from '../core/order.js';

type Item =
  { kind: 'number'; digits: string } | { kind: 'qualifier'; text: string } | { kind: 'list'; items: Item[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const RELEASE_RANK = String(QUALIFIERS.indexOf(''));
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORT_BEFORE_DIGIT: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };

function qualifier(text: string, followedByDigit: boolean): Item {
  const long = followedByDigit ? (SHORT_BEFORE_DIGIT[text] ?? text) : text;
  return { kind: 'qualifier', text: ALIASES[long] ?? long };
}

/** Known qualifiers by rank; unknown ones after all of them, in lexical order. */
function rank(text: string): string {
  const i = QUALIFIERS.indexOf(text);
  return i === -1 ? `${QUALIFIERS.length}-${text}` : String(i);
}

function isNull(item: Item): boolean {
  if (item.kind === 'number') return /^0*$/.test(item.digits);
  if (item.kind === 'qualifier') return item.text === '';
  return item.items.length === 0;
}

function trimTrailingNulls(list: Item[]): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as Item;
    if (isNull(item)) list.splice(i, 1);
    else if (item.kind !== 'list') break;
  }
}

export function parseMavenVersion(ecosystem: string, v: string): Item {
  // Maven itself accepts any string; bosun refuses ones no real artifact has
  if (!/^[\x21-\x7e]+$/.test(v)) throw new InvalidVersionError(ecosystem, v, 'empty, or not printable ASCII');
  const s = v.toLowerCase();
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  let isDigit = false;
  let start = 0;
  const open = () => {
    const sub: Item[] = [];
    list.push({ kind: 'list', items: sub });
    lists.push(sub);
    list = sub;
  };
  const token = (digit: boolean, text: string): Item =>
    digit ? { kind: 'number', digits: text } : qualifier(text, false);
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '.' || c === '-') {
      list.push(i === start ? { kind: 'number', digits: '0' } : token(isDigit, s.slice(start, i)));
      start = i + 1;
      if (c === '-') open();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        // a qualifier inside a list opens a sub-list: 1.0.0.X1 sorts like 1.0.0-X1
        if (list.length > 0) open();
        list.push(qualifier(s.slice(start, i), true));
        start = i;
        open();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.push(token(true, s.slice(start, i)));
        start = i;
        open();
      }
      isDigit = false;
    }
  }
  if (s.length > start) {
    if (!isDigit && list.length > 0) open();
    list.push(token(isDigit, s.slice(start)));
  }
  // innermost lists first, so that an emptied sub-list is itself trimmed from its parent
  for (let i = lists.length - 1; i >= 0; i--) trimTrailingNulls(lists[i] as Item[]);
  return { kind: 'list', items: root };
}

/** Compares an item with another, or with nothing (`undefined`) when the other list ran out. */
function compareItems(a: Item, b: Item | undefined): Ordering {
  switch (a.kind) {
    case 'number':
      if (b === undefined) return isNull(a) ? 0 : 1;
      return b.kind === 'number' ? compareDigits(a.digits, b.digits) : 1;
    case 'qualifier':
      if (b === undefined) return compareStrings(rank(a.text), RELEASE_RANK);
      return b.kind === 'qualifier' ? compareStrings(rank(a.text), rank(b.text)) : -1;
    case 'list': {
      if (b === undefined) {
        // every item counts against nothing (maven-artifact 3.8, MNG-6964), not just the first
        for (const item of a.items) {
          const r = compareItems(item, undefined);
          if (r !== 0) return r;
        }
        return 0;
      }
      if (b.kind !== 'list') return b.kind === 'number' ? -1 : 1;
      for (let i = 0; i < a.items.length || i < b.items.length; i++) {
        const l = a.items[i];
        const r = b.items[i];
        const result =
          l === undefined ? (r === undefined ? 0 : sign(-compareItems(r, undefined))) : compareItems(l, r);
        if (result !== 0) return result;
      }
      return 0;
    }
  }
}

export function mavenComparator(ecosystem: string): VersionComparator {
  return parsedComparator(ecosystem, (v: string) => parseMavenVersion(ecosystem, v), compareItems);
}
