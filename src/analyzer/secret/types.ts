import type { Severity } from '../../core/report.js';

/** One kind of secret and how to recognise it. */
export interface SecretRule {
  id: string;
  category: string;
  title: string;
  severity: Severity;
  /** Run over a whole file (or one image config line); the `g` flag is added when compiled. */
  regex: RegExp;
  /**
   * Lower-case literals, one of which occurs wherever the rule can match: a file is only searched
   * with this rule's regex when one of them is in it. Empty: always searched.
   */
  keywords: readonly string[];
  /**
   * The keywords are context the regex relies on (an `SK…` key only counts in a file that
   * mentions Twilio): checked even when the prefilter is off.
   */
  context?: boolean;
  /** The capture group holding the secret (masked in every output); 0 or absent: the whole match. */
  secretGroup?: number;
  /** Minimum Shannon entropy (bits per character) of the secret: below it, it is not one. */
  entropy?: number;
  /** Also skip values that look like placeholders or code (`${VAR}`, `changeme`, `<token>`, `self.x`). */
  placeholderCheck?: boolean;
  /** A last check on the secret's value (built-in rules only), e.g. a decoded `user:password`. */
  validate?: (secret: string) => boolean;
}

/** A reason not to report a secret: its value, its file's path, or both (all given must match). */
export interface AllowRule {
  id: string;
  description: string;
  /** Matched against the secret's value. */
  regex?: RegExp;
  /** Matched against the file's path (no leading slash). */
  path?: RegExp;
}
