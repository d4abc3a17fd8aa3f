/** Code-unit order of strings: stable across locales, for deterministic reports and SBOMs. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
