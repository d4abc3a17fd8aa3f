import type { Analyzer } from '../../types.js';
import { GOMOD, hasName, langPackage } from '../lang-package.js';

interface Require {
  path: string;
  version: string;
  indirect: boolean;
}

/** A go.mod directive line with its comment split off: `require x v1 // indirect`. */
function splitComment(line: string): { body: string; comment: string } {
  const i = line.indexOf('//');
  return i < 0
    ? { body: line.trim(), comment: '' }
    : { body: line.slice(0, i).trim(), comment: line.slice(i + 2).trim() };
}

/** require and replace directives, single-line or in ( … ) blocks. */
export function parseGoMod(text: string): Require[] {
  const requires: Require[] = [];
  const replaces: { from: string; fromVersion?: string; to: string; toVersion?: string }[] = [];
  let block: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const { body, comment } = splitComment(raw);
    if (body === '') continue;
    let directive: string | undefined;
    let args: string;
    if (block !== undefined) {
      if (body === ')') {
        block = undefined;
        continue;
      }
      directive = block;
      args = body;
    } else {
      const m = /^(\w+)\s*(.*)$/.exec(body);
      if (!m) continue;
      directive = m[1];
      args = (m[2] ?? '').trim();
      if (args === '(') {
        block = directive;
        continue;
      }
    }
    const words = args.split(/\s+/).map((w) => w.replace(/^"(.*)"$/, '$1'));
    if (directive === 'require' && words.length >= 2) {
      requires.push({
        path: words[0] as string,
        version: words[1] as string,
        indirect: comment === 'indirect',
      });
    } else if (directive === 'replace') {
      const arrow = words.indexOf('=>');
      if (arrow < 1) continue;
      replaces.push({
        from: words[0] as string,
        fromVersion: arrow === 2 ? words[1] : undefined,
        to: words[arrow + 1] as string,
        toVersion: words[arrow + 2],
      });
    }
  }
  const out: Require[] = [];
  for (const r of requires) {
    const rep = replaces.find(
      (p) => p.from === r.path && (p.fromVersion === undefined || p.fromVersion === r.version),
    );
    if (!rep) out.push(r);
    // A replacement by a local directory (no version) is part of this build, not a published module.
    else if (rep.toVersion) out.push({ ...r, path: rep.to, version: rep.toVersion });
  }
  return out;
}

export const goModAnalyzer: Analyzer = {
  name: 'go-mod',
  version: 1,
  wants: { names: ['go.mod'] },
  required: (path, info) => info.type === 'file' && hasName(path, 'go.mod') && !/(?:^|\/)vendor\//.test(path),
  async analyze({ info, content }) {
    const reqs = parseGoMod((await content.buffer()).toString('utf8'));
    return {
      packages: reqs.map((r) =>
        langPackage(GOMOD, info.path, 'declared', {
          name: r.path,
          version: r.version,
          properties: r.indirect ? { indirect: 'true' } : undefined,
        }),
      ),
    };
  },
};
