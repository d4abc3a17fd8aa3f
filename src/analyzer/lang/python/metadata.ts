import type { Analyzer } from '../../types.js';
import { isSpdxLike } from '../../common/license.js';
import { PYTHON, langPackage } from '../lang-package.js';

/** Installed distributions: wheel `*.dist-info/METADATA`, egg `*.egg-info/PKG-INFO` (or a single `*.egg-info` file). */
const METADATA_FILE = /(?:\.dist-info\/METADATA|\.egg-info\/PKG-INFO|EGG-INFO\/PKG-INFO|\.egg-info)$/;

/** The RFC 822 style header block (core metadata); the body after the first blank line is the description. */
export function parseCoreMetadata(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && last) {
      last[last.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(key) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(key, values);
    last = values;
  }
  return fields;
}

/**
 * License-Expression (PEP 639) when present; else a one-line License field (many packages paste
 * the whole licence text there, which is no identifier); else the licence classifiers.
 */
function pythonLicenses(fields: Map<string, string[]>): string[] {
  const expression = fields.get('license-expression')?.[0];
  if (expression) return [expression];
  const license = fields.get('license')?.[0];
  if (license && !license.includes('\n') && (license.length <= 60 || isSpdxLike(license))) return [license];
  return (fields.get('classifier') ?? [])
    .filter((c) => c.startsWith('License ::'))
    .map((c) => c.split('::').pop()?.trim() ?? '')
    .filter((c) => c !== 'OSI Approved');
}

export const pythonMetadataAnalyzer: Analyzer = {
  name: 'python-metadata',
  version: 1,
  wants: { names: ['METADATA', 'PKG-INFO'], extensions: ['.egg-info'] },
  required: (path, info) => info.type === 'file' && METADATA_FILE.test(path),
  async analyze({ info, content }) {
    const fields = parseCoreMetadata((await content.buffer()).toString('utf8'));
    const name = fields.get('name')?.[0];
    const version = fields.get('version')?.[0];
    if (!name || !version) return undefined;
    return {
      packages: [
        langPackage(PYTHON, info.path, 'installed', { name, version, licenses: pythonLicenses(fields) }),
      ],
    };
  },
};
