import { purlLibrary } from '../../core/lazy.js';

/** purl types bosun builds for language packages. */
export type LangPurlType = 'npm' | 'pypi' | 'golang' | 'maven' | 'gem' | 'cargo' | 'composer' | 'nuget';

/** PEP 503: runs of `-`, `_` and `.` become one `-`, lower case. */
export function pep503Name(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * The package URL of a language package, following each type's rules in the purl spec:
 * npm `@scope/name`, maven `group:artifact`, composer `vendor/name`, Go module paths split at the
 * last slash, PyPI names PEP 503 normalised.
 */
export function langPurl(type: LangPurlType, name: string, version: string): string {
  let namespace: string | undefined;
  let base = name;
  const splitAt = (sep: string): void => {
    const i = name.lastIndexOf(sep);
    if (i > 0) {
      namespace = name.slice(0, i);
      base = name.slice(i + 1);
    }
  };
  switch (type) {
    case 'npm':
      if (name.startsWith('@')) splitAt('/');
      break;
    case 'golang':
    case 'composer':
      splitAt('/');
      break;
    case 'maven':
      splitAt(':');
      // A jar with no Maven metadata has no known group; the purl spec wants one, so this purl
      // (built by hand, since packageurl-js rejects it) names the artifact only.
      if (namespace === undefined)
        return `pkg:maven/${encodeURIComponent(name)}${version ? `@${encodeURIComponent(version)}` : ''}`;
      break;
    case 'pypi':
      base = pep503Name(name);
      break;
    default:
      break;
  }
  return new (purlLibrary().PackageURL)(
    type,
    namespace,
    base,
    version || undefined,
    undefined,
    undefined,
  ).toString();
}
