import type { OsInfo } from '../../core/package.js';
import { osvEcosystem, type ReleaseFacts } from './ecosystem.js';

/** os-release(5): KEY=value lines, values optionally quoted with shell escapes. */
export function parseKeyValues(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    fields.set(line.slice(0, eq).trim(), unquote(line.slice(eq + 1).trim()));
  }
  return fields;
}

function unquote(value: string): string {
  const q = value[0];
  if ((q !== '"' && q !== "'") || value.length < 2 || !value.endsWith(q)) return value;
  const inner = value.slice(1, -1);
  return q === "'" ? inner : inner.replace(/\\(["\\$`])/g, '$1');
}

/** Debian release numbers by codename, for testing images and debian_version files that name one. */
const DEBIAN_CODENAMES: Record<string, string> = {
  wheezy: '7',
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};

function info(facts: ReleaseFacts, name?: string): OsInfo {
  const os: OsInfo = { family: facts.family, version: facts.version };
  if (name) os.name = name;
  const ecosystem = osvEcosystem(facts);
  if (ecosystem) os.ecosystem = ecosystem;
  return os;
}

/** etc/os-release and usr/lib/os-release. */
export function fromOsRelease(text: string): OsInfo | undefined {
  const f = parseKeyValues(text);
  const family = f.get('ID')?.toLowerCase();
  if (!family) return undefined;
  let version = f.get('VERSION_ID') ?? '';
  // Debian testing and sid ship no VERSION_ID. Testing is named by its codename, which becomes
  // the release number OSV already files it under; sid ("trixie/sid" without a codename) has none.
  if (!version && family === 'debian') version = DEBIAN_CODENAMES[f.get('VERSION_CODENAME') ?? ''] ?? '';
  const prettyName = f.get('PRETTY_NAME') ?? f.get('NAME');
  return info({ family, version, prettyName, versionText: f.get('VERSION') }, prettyName);
}

/** etc/alpine-release: "3.19.1". */
export function fromAlpineRelease(text: string): OsInfo | undefined {
  const version = text.trim().split(/\s/)[0] ?? '';
  return /^\d+\.\d+/.test(version) ? info({ family: 'alpine', version }) : undefined;
}

/**
 * etc/debian_version: "12.4", or "trixie/sid" on testing. A codename becomes its release number;
 * "sid" alone stays without a version (and so without an ecosystem).
 */
export function fromDebianVersion(text: string): OsInfo | undefined {
  const raw = text.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)*$/.test(raw)) return info({ family: 'debian', version: raw });
  const codename = raw.split('/')[0] ?? '';
  return info({ family: 'debian', version: DEBIAN_CODENAMES[codename] ?? '' });
}

/** The distro named in a redhat-release style line, by its leading words. */
const REDHAT_LIKE: [RegExp, string][] = [
  [/^Red Hat Enterprise Linux/i, 'rhel'],
  [/^CentOS/i, 'centos'],
  [/^Rocky Linux/i, 'rocky'],
  [/^AlmaLinux/i, 'almalinux'],
  [/^Fedora/i, 'fedora'],
  [/^Oracle Linux/i, 'ol'],
];

/** etc/redhat-release, centos-release, rocky-release, almalinux-release: "Rocky Linux release 9.3 (Blue Onyx)". */
export function fromRedhatRelease(text: string): OsInfo | undefined {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  const family = REDHAT_LIKE.find(([re]) => re.test(line))?.[1];
  const version = /release\s+(\d+(?:\.\d+)*)/i.exec(line)?.[1];
  return family && version ? info({ family, version }, line) : undefined;
}

/**
 * etc/SuSE-release (SLE 11/12, openSUSE 42 and older): a product line, then VERSION = and
 * PATCHLEVEL = lines.
 */
export function fromSuseRelease(text: string): OsInfo | undefined {
  const lines = text.trim().split('\n');
  const product = (lines[0] ?? '').replace(/\s*\([^)]*\)\s*$/, '').trim();
  const f = new Map(
    lines.slice(1).flatMap((l) => {
      const m = /^\s*([A-Z_]+)\s*=\s*(.*?)\s*$/.exec(l);
      return m ? [[m[1] as string, m[2] as string] as const] : [];
    }),
  );
  const version = f.get('VERSION');
  if (!version) return undefined;
  if (/^openSUSE/i.test(product)) {
    const leap = version.includes('.') && Number(version.split('.')[0]) >= 42;
    const prettyName = leap ? `openSUSE Leap ${version}` : `openSUSE ${version}`;
    return info({ family: leap ? 'opensuse-leap' : 'opensuse', version, prettyName }, prettyName);
  }
  if (/^SUSE Linux Enterprise/i.test(product)) {
    const patch = f.get('PATCHLEVEL');
    const major = version.split('.')[0] ?? version;
    const sp = patch && patch !== '0' ? ` SP${patch}` : '';
    const prettyName = `${product.replace(/\s+\d+$/, '')} ${major}${sp}`;
    const family = /Desktop/i.test(product) ? 'sled' : 'sles';
    return info({ family, version: patch ? `${major}.${patch}` : version, prettyName }, prettyName);
  }
  return undefined;
}

/** etc/lsb-release: DISTRIB_ID=Ubuntu, DISTRIB_RELEASE=22.04. */
export function fromLsbRelease(text: string): OsInfo | undefined {
  const f = parseKeyValues(text);
  const family = f.get('DISTRIB_ID')?.toLowerCase();
  const version = f.get('DISTRIB_RELEASE');
  if (!family || !version) return undefined;
  return info({ family, version }, f.get('DISTRIB_DESCRIPTION'));
}

/**
 * Distroless images may lack os-release; their var/lib/dpkg/status.d/base-files stanza still says
 * which Debian release built them ("Version: 12.4+deb12u5").
 */
export function fromBaseFilesStanza(text: string): OsInfo | undefined {
  if (!/^Package:\s*base-files\s*$/m.test(text)) return undefined;
  const version = /^Version:\s*(\d+(?:\.\d+)?)(?:\+deb\d+u\d+)?\s*$/m.exec(text)?.[1];
  return version ? info({ family: 'debian', version }) : undefined;
}
