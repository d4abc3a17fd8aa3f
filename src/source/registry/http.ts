import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { rootCertificates } from 'node:tls';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { BosunError } from '../../core/errors.js';

export type HttpResponse = Dispatcher.ResponseData;

/** How often and how patiently a request is retried on 429, 5xx and dropped connections. */
export interface RetryPolicy {
  /** Total tries, the first included. */
  attempts: number;
  /** The first backoff; each later one doubles, up to maxDelayMs, and is jittered down by up to half. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A server's Retry-After is honoured up to this long. */
  retryAfterCapMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  retryAfterCapMs: 30_000,
};

const RETRYABLE_ERROR_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

export interface TransportOptions {
  caFile?: string;
  /** Skip certificate verification (and, in the client, fall back to plain HTTP). */
  insecure?: boolean;
}

/** An HTTP agent trusting `caFile` besides the system CAs, following redirects to blob storage. */
export async function createDispatcher(opts: TransportOptions): Promise<Dispatcher> {
  let ca: string | undefined;
  if (opts.caFile !== undefined) {
    try {
      ca = await readFile(opts.caFile, 'utf8');
    } catch (err) {
      throw new BosunError('usage', `cannot read --ca-file ${opts.caFile}: ${(err as Error).message}`, {
        subject: opts.caFile,
        cause: err,
      });
    }
  }
  const agent = new Agent({
    connect: {
      ...(ca !== undefined ? { ca: [...rootCertificates, ca] } : {}),
      rejectUnauthorized: !opts.insecure,
    },
    headersTimeout: 60_000,
    bodyTimeout: 120_000,
  });
  // Undici drops the Authorization header when a redirect leaves the registry's origin.
  return agent.compose(interceptors.redirect({ maxRedirections: 5 }));
}

export interface SendOptions {
  dispatcher: Dispatcher;
  headers?: Record<string, string>;
  retry: RetryPolicy;
  /** Named in the error after the last try: `registry 127.0.0.1:5000`. */
  target: string;
  subject: string;
}

/** Whether a transport error (no HTTP answer, or a body cut off) is worth another try. */
export function isRetryableError(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && RETRYABLE_ERROR_CODES.has(code);
}

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code ?? e.cause?.code;
}

export function backoff(attempt: number, policy: RetryPolicy): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return delay / 2 + Math.random() * (delay / 2);
}

/** Retry-After in seconds or as an HTTP date, capped; undefined when absent or unreadable. */
function retryAfter(res: HttpResponse, policy: RetryPolicy): number | undefined {
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(seconds) ? undefined : Math.min(Math.max(seconds, 0), policy.retryAfterCapMs);
}

/**
 * GET `url`, retrying with jittered exponential backoff on 429 (honouring Retry-After), 5xx and
 * dropped connections. Other statuses are returned for the caller to judge.
 */
export async function getWithRetry(url: string, opts: SendOptions): Promise<HttpResponse> {
  const { retry } = opts;
  for (let attempt = 1; ; attempt++) {
    let res: HttpResponse;
    try {
      res = await request(url, { method: 'GET', headers: opts.headers, dispatcher: opts.dispatcher });
    } catch (err) {
      if (isRetryableError(err) && attempt < retry.attempts) {
        await sleep(backoff(attempt, retry));
        continue;
      }
      const tries = attempt > 1 ? ` after ${attempt} attempts` : '';
      throw new BosunError(
        'network',
        `cannot reach ${opts.target} (GET ${url}${tries}): ${describeError(err)}`,
        {
          subject: opts.subject,
          cause: err,
        },
      );
    }
    if (res.statusCode !== 429 && res.statusCode < 500) return res;
    await res.body.dump();
    if (attempt >= retry.attempts) {
      throw new BosunError(
        'network',
        `${opts.target} answered ${res.statusCode} to GET ${url}, ${attempt} attempts; giving up`,
        { subject: opts.subject },
      );
    }
    await sleep((res.statusCode === 429 ? retryAfter(res, retry) : undefined) ?? backoff(attempt, retry));
  }
}

export function describeError(err: unknown): string {
  const e = err as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  // OpenSSL's messages carry its source location: keep the reason ("wrong version number").
  const tidy = (m: string): string =>
    m.trim().replace(/^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):.*$/s, '$1');
  const parts = [e.message, e.cause?.message].filter((m): m is string => Boolean(m)).map(tidy);
  const code = errorCode(err);
  if (code && !parts.some((p) => p.includes(code))) parts.push(code);
  return parts.join(': ') || String(err);
}

/** Reads a small response body whole, refusing more than `limit` bytes. */
export async function readBody(
  res: HttpResponse,
  limit: number,
  what: string,
  subject: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length;
    if (total > limit) {
      res.body.destroy();
      throw new BosunError('badInput', `${what} of ${subject} is larger than ${limit} bytes`, { subject });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The registry's own explanation from an error body ({"errors":[{"code","message"}]}), if any. */
export async function registryErrorText(res: HttpResponse): Promise<string> {
  try {
    const text = await res.body.text();
    const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const first = parsed.errors?.[0];
    return first ? `: ${[first.code, first.message].filter(Boolean).join(' ')}` : '';
  } catch {
    return '';
  }
}
