/**
 * The key a package name is stored and looked up by. Most ecosystems compare names exactly;
 * PyPI names are case-insensitive with runs of "-", "_" and "." equivalent (PEP 503), NuGet ids
 * are case-insensitive. Ecosystem is the OSV ecosystem, release suffix allowed.
 */
export function packageKey(ecosystem: string, name: string): string {
  const base = ecosystemBase(ecosystem);
  if (base === 'PyPI') return name.toLowerCase().replace(/[-_.]+/g, '-');
  if (base === 'NuGet') return name.toLowerCase();
  return name;
}

/** "Debian:12" → "Debian", "Ubuntu:22.04:LTS" → "Ubuntu", "PyPI" → "PyPI". */
export function ecosystemBase(ecosystem: string): string {
  const colon = ecosystem.indexOf(':');
  return colon === -1 ? ecosystem : ecosystem.slice(0, colon);
}
