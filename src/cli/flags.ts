import { BosunError } from '../core/errors.js';
import type { Severity } from '../core/report.js';
import { SEVERITIES } from '../report/severity-order.js';

/** `--severity CRITICAL,HIGH`: the severities to keep; undefined keeps all. */
export function parseSeverities(value: string | undefined): Severity[] | undefined {
  if (value === undefined) return undefined;
  const list = value.split(',').map((s) => s.trim().toUpperCase());
  const unknown = list.find((s) => !(SEVERITIES as readonly string[]).includes(s));
  if (unknown !== undefined) {
    throw new BosunError(
      'usage',
      `--severity: unknown severity "${unknown}" (expected ${SEVERITIES.join(', ')})`,
      {
        subject: '--severity',
      },
    );
  }
  return list as Severity[];
}

/** `--exit-code N`: the code to exit with when findings remain or a gate fails. */
export function parseExitCode(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const code = Number(value);
  if (!Number.isInteger(code) || code < 0 || code > 255) {
    throw new BosunError('usage', `--exit-code: expected a whole number from 0 to 255, got "${value}"`, {
      subject: '--exit-code',
    });
  }
  return code;
}
