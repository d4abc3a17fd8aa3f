/** An authentication challenge from a registry's `WWW-Authenticate` header (RFC 7235). */
export interface Challenge {
  /** Lowercased: `bearer` or `basic` are the ones registries use. */
  scheme: string;
  /** Lowercased parameter names: realm, service, scope, error. */
  params: Record<string, string>;
}

/**
 * Parses `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`.
 * Values may be quoted (with `\` escapes) or bare tokens. Returns the first challenge.
 */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  if (!header) return undefined;
  const schemeMatch = /^\s*([A-Za-z][\w!#$%&'*+.^`|~-]*)\s*/.exec(header);
  if (!schemeMatch?.[1]) return undefined;
  const params: Record<string, string> = {};
  const paramRe = /\s*([\w!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))\s*(?:,|$)/y;
  paramRe.lastIndex = schemeMatch[0].length;
  for (let m = paramRe.exec(header); m; m = paramRe.exec(header)) {
    const [, name, quoted, bare] = m;
    params[name!.toLowerCase()] = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (bare ?? '');
    if (paramRe.lastIndex >= header.length) break;
  }
  return { scheme: schemeMatch[1].toLowerCase(), params };
}
