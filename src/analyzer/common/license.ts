/**
 * Licence names as packages write them, mapped to SPDX ids. Only unambiguous spellings are mapped
 * ("BSD" alone could be 2- or 3-clause, so it is kept as written).
 */
const SPDX_BY_NAME: Record<string, string> = {
  mit: 'MIT',
  'mit license': 'MIT',
  'the mit license': 'MIT',
  'expat license': 'MIT',
  isc: 'ISC',
  'isc license': 'ISC',
  'isc license (iscl)': 'ISC',
  'apache 2': 'Apache-2.0',
  'apache 2.0': 'Apache-2.0',
  'apache-2': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0',
  'apache license, version 2.0': 'Apache-2.0',
  'apache software license': 'Apache-2.0',
  'the apache software license, version 2.0': 'Apache-2.0',
  'the apache license, version 2.0': 'Apache-2.0',
  'apache license version 2.0': 'Apache-2.0',
  'asl 2.0': 'Apache-2.0',
  'new bsd license': 'BSD-3-Clause',
  'bsd 3-clause': 'BSD-3-Clause',
  '3-clause bsd license': 'BSD-3-Clause',
  'bsd 2-clause': 'BSD-2-Clause',
  'simplified bsd': 'BSD-2-Clause',
  'gnu general public license v2 (gplv2)': 'GPL-2.0-only',
  'gnu general public license v3 (gplv3)': 'GPL-3.0-only',
  'gnu general public license v2 or later (gplv2+)': 'GPL-2.0-or-later',
  'gnu general public license v3 or later (gplv3+)': 'GPL-3.0-or-later',
  gplv2: 'GPL-2.0-only',
  gplv3: 'GPL-3.0-only',
  'gplv2+': 'GPL-2.0-or-later',
  'gplv3+': 'GPL-3.0-or-later',
  'gnu lesser general public license v2 (lgplv2)': 'LGPL-2.0-only',
  'gnu lesser general public license v3 (lgplv3)': 'LGPL-3.0-only',
  'gnu lesser general public license v2 or later (lgplv2+)': 'LGPL-2.0-or-later',
  'gnu lesser general public license v3 or later (lgplv3+)': 'LGPL-3.0-or-later',
  'gnu library or lesser general public license (lgpl)': 'LGPL-2.0-or-later',
  lgplv3: 'LGPL-3.0-only',
  'mozilla public license 2.0 (mpl 2.0)': 'MPL-2.0',
  'mpl 2.0': 'MPL-2.0',
  'python software foundation license': 'PSF-2.0',
  psf: 'PSF-2.0',
  'eclipse public license 1.0': 'EPL-1.0',
  'eclipse public license - v 1.0': 'EPL-1.0',
  'eclipse public license - v 2.0': 'EPL-2.0',
  'eclipse public license v2.0': 'EPL-2.0',
  'the unlicense': 'Unlicense',
  'the unlicense (unlicense)': 'Unlicense',
  unlicense: 'Unlicense',
  'zlib/libpng license': 'Zlib',
  'cc0 1.0 universal': 'CC0-1.0',
  'ruby license': 'Ruby',
};

/** Looks like an SPDX id or expression already: `MIT`, `Apache-2.0`, `(MIT OR Apache-2.0)`. */
const SPDX_LIKE = /^[(]?[A-Za-z0-9.+-]+(?:\s+(?:OR|AND|WITH)\s+[(]?[A-Za-z0-9.+-]+[)]?)*[)]?$/;

/** Placeholders packaging tools write when no licence was given. */
const NO_LICENSE = new Set([
  '',
  'unknown',
  'none',
  'n/a',
  'license',
  'unlicensed',
  'see license',
  'see license file',
]);

/** One licence as written → its SPDX id where it maps, else the trimmed text; undefined for placeholders. */
export function normalizeLicense(raw: string | undefined | null): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().replace(/\s+/g, ' ');
  if (NO_LICENSE.has(text.toLowerCase())) return undefined;
  const mapped = SPDX_BY_NAME[text.toLowerCase().replace(/^license :: (osi approved :: )?/, '')];
  if (mapped) return mapped;
  return text;
}

/** Normalises, drops placeholders and duplicates; undefined when nothing is left. */
export function normalizeLicenses(raws: readonly (string | undefined | null)[]): string[] | undefined {
  const out: string[] = [];
  for (const raw of raws) {
    const id = normalizeLicense(raw);
    if (id !== undefined && !out.includes(id)) out.push(id);
  }
  return out.length > 0 ? out : undefined;
}

/** True when the text is already an SPDX id or expression rather than prose. */
export function isSpdxLike(text: string): boolean {
  return SPDX_LIKE.test(text.trim());
}
