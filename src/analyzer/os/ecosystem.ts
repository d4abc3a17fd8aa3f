/**
 * The OSV ecosystem string of an OS release, spelled exactly as OSV's records spell it
 * (https://ossf.github.io/osv-schema/#affectedpackage-field and the records osv.dev serves):
 *
 *   debian         Debian:<major>                     Debian:12
 *   ubuntu         Ubuntu:<YY.MM>[:LTS]               Ubuntu:22.04:LTS, Ubuntu:23.10
 *   alpine         Alpine:v<major.minor>              Alpine:v3.19
 *   rocky          Rocky Linux:<major>                Rocky Linux:9
 *   almalinux      AlmaLinux:<major>                  AlmaLinux:9
 *   rhel           Red Hat:enterprise_linux:<major>   a prefix: OSV's records carry the repository
 *                                                     too (…:9::baseos, …:9::appstream), which an
 *                                                     image does not record per package
 *   opensuse-leap  openSUSE:Leap <x.y>                from PRETTY_NAME, as the schema says
 *   opensuse-tw    openSUSE:Tumbleweed
 *   sles & co      SUSE:<PRETTY_NAME without "SUSE "> SUSE:Linux Enterprise Server 15 SP5
 *   mageia         Mageia:<major>
 *   photon         Photon OS:<major.minor>            Photon OS:5.0
 *   azurelinux     Azure Linux:<major>                Azure Linux:3 (mariner 2.0 → Azure Linux:2)
 *   openeuler      openEuler:<YY.MM>[-LTS[-SPn]]      openEuler:24.03-LTS-SP1
 *   wolfi, chainguard, minimos: no release suffix.
 *
 * CentOS, Fedora, Amazon Linux and Oracle Linux have no OSV ecosystem: undefined.
 */
export interface ReleaseFacts {
  /** os-release ID, lower case. */
  family: string;
  version: string;
  /** PRETTY_NAME or the release file's text: SUSE ecosystems are named after it. */
  prettyName?: string;
  /** os-release VERSION, e.g. "24.03 (LTS-SP1)" for openEuler. */
  versionText?: string;
}

export function osvEcosystem(facts: ReleaseFacts): string | undefined {
  const { family, version } = facts;
  const major = version.split('.')[0] ?? '';
  const majorMinor = version.split('.').slice(0, 2).join('.');
  const withMajor = (name: string): string | undefined =>
    /^\d+$/.test(major) ? `${name}:${major}` : undefined;
  switch (family) {
    case 'debian':
      return withMajor('Debian');
    case 'ubuntu':
      if (!/^\d+\.\d+$/.test(majorMinor)) return undefined;
      return isUbuntuLts(majorMinor) ? `Ubuntu:${majorMinor}:LTS` : `Ubuntu:${majorMinor}`;
    case 'alpine':
      return /^\d+\.\d+$/.test(majorMinor) ? `Alpine:v${majorMinor}` : undefined;
    case 'rocky':
      return withMajor('Rocky Linux');
    case 'almalinux':
      return withMajor('AlmaLinux');
    case 'rhel':
      return withMajor('Red Hat:enterprise_linux');
    case 'mageia':
      return withMajor('Mageia');
    case 'photon':
      return /^\d+\.\d+$/.test(majorMinor) ? `Photon OS:${majorMinor}` : undefined;
    case 'azurelinux':
    case 'mariner':
      return withMajor('Azure Linux');
    case 'openeuler':
      return openEulerEcosystem(majorMinor, facts.versionText);
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    case 'minimos':
      return 'MinimOS';
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'opensuse-leap':
    case 'opensuse-leap-micro':
    case 'opensuse':
      return (
        suseEcosystem('openSUSE', facts.prettyName) ??
        (majorMinor ? `openSUSE:Leap ${majorMinor}` : undefined)
      );
    case 'sles':
    case 'sled':
    case 'sles_sap':
    case 'sle-micro':
    case 'sle_hpc':
      return suseEcosystem('SUSE', facts.prettyName);
    default:
      return undefined;
  }
}

/** Ubuntu LTS releases are the .04 releases of even years (since 6.06 "Dapper"). */
function isUbuntuLts(yymm: string): boolean {
  const [yy, mm] = yymm.split('.').map(Number) as [number, number];
  return (yy % 2 === 0 && mm === 4) || yymm === '6.06';
}

/** "openSUSE Leap 15.5" → "openSUSE:Leap 15.5"; "SUSE Linux Enterprise Server 15 SP5" → "SUSE:Linux…". */
function suseEcosystem(vendor: 'openSUSE' | 'SUSE', prettyName: string | undefined): string | undefined {
  const rest = prettyName?.trim().startsWith(`${vendor} `)
    ? prettyName
        .trim()
        .slice(vendor.length + 1)
        .trim()
    : '';
  return rest ? `${vendor}:${rest}` : undefined;
}

/** openEuler marks LTS releases in VERSION: "24.03 (LTS-SP1)" → "openEuler:24.03-LTS-SP1". */
function openEulerEcosystem(majorMinor: string, versionText: string | undefined): string | undefined {
  if (!/^\d+\.\d+$/.test(majorMinor)) return undefined;
  const lts = /\((LTS[^)]*)\)/.exec(versionText ?? '')?.[1];
  return lts ? `openEuler:${majorMinor}-${lts.trim()}` : `openEuler:${majorMinor}`;
}
