import { BosunError } from '../core/errors.js';

export interface HttpOptions {
  /** Attempts for 5xx answers and connection errors (default 3). */
  attempts?: number;
  /** First back-off delay; doubles each retry (default 250 ms). */
  backoffMs?: number;
}

/**
 * GET with retries on 5xx and connection failures. Resolves to the response (its body unread)
 * for 2xx, or undefined for 404 — a file the repository does not publish. Other statuses, and
 * 5xx after the last attempt, are database errors naming the URL (the update cannot complete);
 * a host that cannot be reached at all is a network error.
 */
export async function httpGet(url: string, options: HttpOptions = {}): Promise<Response | undefined> {
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { redirect: 'follow' });
    } catch (err) {
      if (attempt < attempts) {
        await sleep(backoff * 2 ** (attempt - 1));
        continue;
      }
      const reason = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
      throw new BosunError('network', `cannot reach ${url}: ${reason}`, { subject: url, cause: err });
    }
    if (response.ok) return response;
    await response.body?.cancel();
    if (response.status === 404) return undefined;
    if (response.status >= 500 && attempt < attempts) {
      await sleep(backoff * 2 ** (attempt - 1));
      continue;
    }
    throw new BosunError('database', `GET ${url} failed: HTTP ${response.status} ${response.statusText}`, {
      subject: url,
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
