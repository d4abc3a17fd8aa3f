/** Shannon entropy in bits per character: random base64 is near 6, English words near 3. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const PLACEHOLDER_WORDS =
  /changeme|change_me|change-me|password|passwd|placeholder|example|dummy|redacted|sample|insert|replace|your[_-]|xxxx|\*\*\*|\.\.\.|todo|fixme|secret_?here|token_?here|notreal|not_?a_?real/i;

/**
 * Values that stand for a secret rather than being one: references (`${VAR}`, `$VAR`, `%(x)s`,
 * `{{ x }}`, `<your-token>`), well-known filler (`changeme`, `xxxx`, `***`), code (`self.password`,
 * `get_token()`, `os.environ[...]`), identifiers (letters only), file paths, and words (one kind of character: all lower-case,
 * all upper-case or all digits, which also covers `true`, `null` and `xxxxxxxx`).
 */
export function isPlaceholder(value: string): boolean {
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (/[$%]\{|\$\(|\{\{|%\(|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^<.*>$|^\[.*\]$/.test(value)) return true;
  // Code: calls, indexing, generics, blocks and unions (`PunctuationToken<SyntaxKind.DotToken>`).
  if (/[()[\]<>{}|]/.test(value)) return true;
  if (/^[A-Za-z_$][\w$]*(?:(?:\.|->|::)[A-Za-z_$][\w$]*)+$/.test(value)) return true;
  // Paths and file names, not values.
  if (/^(?:\/|~\/|\.\.?\/|[A-Za-z]:\\)/.test(value)) return true;
  // Identifiers (`testRSAPrivateKey`, `!!node.exclamationToken`, `Token$1`) and constants
  // (`FTS5_MAX_TOKEN_SIZE`): generated secrets this long have digits among their letters.
  const name = value.replace(/^[!?&*]+/, '').replace(/\$\d+$/, '');
  if (/^[A-Za-z_]+(?:(?:\.|\?\.)[A-Za-z_]+)*$/.test(name)) return true;
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(name)) return true;
  // Generated secrets mix letter cases or letters and digits; `elevated-privileges` is a word.
  const kinds = Number(/[a-z]/.test(value)) + Number(/[A-Z]/.test(value)) + Number(/[0-9]/.test(value));
  return kinds < 2;
}
