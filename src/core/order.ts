/** Code-unit order of strings: stable across locales, for deterministic reports and SBOMs. */
export function compareStrings(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}
