/**
 * Errors that stop a command. Each kind has its own exit code so that CI scripts can tell
 * "the image has findings" (the gate's --exit-code, 1 by default) from "bosun could not look".
 * File-level problems inside an image (a corrupt package database) are not errors of this kind:
 * they go into the report's errors[] and the scan goes on.
 */
export const ExitCode = {
  ok: 0,
  /** A gate failed (findings above threshold); `--exit-code` overrides it. */
  gateFailed: 1,
  /** Bad flag, bad argument, unknown format. */
  usage: 2,
  /** The target does not exist: no such file, image, tag or manifest. */
  notFound: 3,
  /** The input exists but is malformed: corrupt archive, digest mismatch, unknown media type. */
  badInput: 4,
  /** Registry or daemon unreachable, refused credentials, or kept failing after retries. */
  network: 5,
  /** The vulnerability database is missing, corrupt, locked or could not be updated. */
  database: 6,
  /** A policy, ignore, VEX or gate file is invalid. */
  config: 7,
  /** A bug in bosun. */
  internal: 70,
} as const;

export type ErrorKind = Exclude<keyof typeof ExitCode, 'ok' | 'gateFailed'>;

export class BosunError extends Error {
  readonly kind: ErrorKind;
  /** What the error is about: a file path, flag, image reference or URL. */
  readonly subject?: string;

  constructor(kind: ErrorKind, message: string, options?: { subject?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BosunError';
    this.kind = kind;
    this.subject = options?.subject;
  }

  get exitCode(): number {
    return ExitCode[this.kind];
  }
}

export function isBosunError(err: unknown): err is BosunError {
  return err instanceof BosunError;
}

/** The message of any thrown value, for reports and logs. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
