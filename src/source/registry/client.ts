import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { BosunError } from '../../core/errors.js';
import { parseChallenge, type Challenge } from './challenge.js';
import type { Credentials } from './credentials.js';
import {
  backoff,
  describeError,
  getWithRetry,
  isRetryableError,
  readBody,
  registryErrorText,
  type HttpResponse,
  type RetryPolicy,
} from './http.js';
import { MANIFEST_ACCEPT } from './manifest.js';
import type { ImageReference } from './reference.js';
import { createHash } from 'node:crypto';
import { verifyBuffer } from '../digest.js';

const MANIFEST_LIMIT = 4 * 1024 * 1024;
const TOKEN_LIMIT = 1024 * 1024;
/** Seconds a token lives when the token server does not say (the spec's default). */
const DEFAULT_TOKEN_LIFETIME = 60;

export interface ClientOptions {
  dispatcher: Dispatcher;
  credentials?: Credentials;
  /** Try HTTPS without verifying the certificate, and plain HTTP when HTTPS does not connect. */
  insecure: boolean;
  retry: RetryPolicy;
}

export interface FetchedManifest {
  body: Buffer;
  contentType?: string;
  digest: string;
}

function header(res: HttpResponse, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Talks the OCI distribution API to one repository: finds the scheme, answers the registry's
 * auth challenge (basic, or bearer tokens cached per scope) and verifies what it downloads.
 */
export class RegistryClient {
  private base: string | undefined;
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly subject: string;
  private readonly target: string;
  private readonly defaultScope: string;

  constructor(
    private readonly ref: ImageReference,
    private readonly opts: ClientOptions,
  ) {
    this.subject = `${ref.registry}/${ref.repository}`;
    this.target = `registry ${ref.registry}`;
    this.defaultScope = `repository:${ref.repository}:pull`;
  }

  /** Fetches a manifest by tag or digest and checks it against the digest it was asked by or announced. */
  async fetchManifest(reference: string): Promise<FetchedManifest> {
    const what = `manifest ${reference}`;
    const res = await this.get(
      `/v2/${this.ref.repository}/manifests/${reference}`,
      { accept: MANIFEST_ACCEPT },
      what,
    );
    const contentType = header(res, 'content-type');
    const body = await readBody(res, MANIFEST_LIMIT, 'the manifest', this.subject);
    const expected = reference.includes(':') ? reference : header(res, 'docker-content-digest');
    if (expected !== undefined) verifyBuffer(body, expected, this.subject, `manifest ${reference}`);
    return {
      body,
      contentType,
      digest: expected ?? `sha256:${createHash('sha256').update(body).digest('hex')}`,
    };
  }

  /**
   * The blob's bytes as the registry sends them; a new request on each call. A download cut off
   * midway resumes with a Range request where it stopped, up to the retry policy's attempts.
   */
  async openBlob(digest: string): Promise<Readable> {
    const path = this.blobPath(digest);
    const what = `blob ${digest}`;
    let res = await this.get(path, {}, what);
    const { retry } = this.opts;
    const fail = (received: number, detail: string): BosunError =>
      new BosunError(
        'network',
        `download of ${what} of ${this.subject} failed after ${received} bytes: ${detail}`,
        {
          subject: this.subject,
        },
      );
    const resume = async (received: number): Promise<HttpResponse> => {
      const next = await this.get(path, { range: `bytes=${received}-` }, what);
      if (next.statusCode === 206) return next;
      await next.body.dump();
      throw fail(received, `the registry cannot resume it (answered ${next.statusCode} to a Range request)`);
    };
    async function* chunks(): AsyncGenerator<Buffer> {
      let received = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          for await (const chunk of res.body) {
            received += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
          return;
        } catch (err) {
          if (!isRetryableError(err) || attempt >= retry.attempts) throw fail(received, describeError(err));
          await sleep(backoff(attempt, retry));
          res = await resume(received);
        }
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  async readBlob(digest: string, limit: number): Promise<Buffer> {
    const res = await this.get(this.blobPath(digest), {}, `blob ${digest}`);
    return readBody(res, limit, `blob ${digest}`, this.subject);
  }

  private blobPath(digest: string): string {
    return `/v2/${this.ref.repository}/blobs/${digest}`;
  }

  async close(): Promise<void> {
    // destroy, not close: a layer stream the caller abandoned must not keep the source open.
    await this.opts.dispatcher.destroy();
  }

  private send(url: string, headers: Record<string, string>): Promise<HttpResponse> {
    return getWithRetry(url, {
      dispatcher: this.opts.dispatcher,
      headers,
      retry: this.opts.retry,
      target: this.target,
      subject: this.subject,
    });
  }

  private async get(path: string, headers: Record<string, string>, what: string): Promise<HttpResponse> {
    const url = (await this.connect()) + path;
    let res = await this.send(url, {
      ...headers,
      ...(await this.authorization(this.challenge, this.defaultScope)),
    });
    if (res.statusCode === 401) {
      // The registry wants (other) credentials: answer its challenge once with a fresh token.
      await res.body.dump();
      this.challenge = parseChallenge(header(res, 'www-authenticate')) ?? this.challenge;
      const scope = this.challenge?.params.scope ?? this.defaultScope;
      const auth = await this.authorization(this.challenge, scope, true);
      if (auth === undefined) throw this.refused(401);
      res = await this.send(url, { ...headers, ...auth });
    }
    if (res.statusCode === 401 || res.statusCode === 403) {
      await res.body.dump();
      throw this.refused(res.statusCode);
    }
    if (res.statusCode === 404) {
      const detail = await registryErrorText(res);
      throw new BosunError('notFound', `${what} not found in ${this.subject}${detail}`, {
        subject: this.subject,
      });
    }
    if (res.statusCode >= 300) {
      const detail = await registryErrorText(res);
      throw new BosunError(
        'network',
        `${this.target} answered ${res.statusCode} for ${what} of ${this.subject}${detail}`,
        {
          subject: this.subject,
        },
      );
    }
    return res;
  }

  /** Picks the scheme once and learns the registry's auth challenge from `GET /v2/`. */
  private async connect(): Promise<string> {
    if (this.base !== undefined) return this.base;
    const host = this.ref.registry;
    let base = `https://${host}`;
    let res: HttpResponse | undefined;
    if (this.opts.insecure) {
      try {
        res = await request(`${base}/v2/`, { dispatcher: this.opts.dispatcher });
      } catch {
        base = `http://${host}`;
      }
      if (res && (res.statusCode === 429 || res.statusCode >= 500)) {
        await res.body.dump();
        res = undefined;
      }
    }
    res ??= await this.send(`${base}/v2/`, {}).catch((err: unknown) => {
      throw this.opts.insecure || !(err instanceof BosunError) ? err : withTlsHint(err);
    });
    if (res.statusCode === 401) this.challenge = parseChallenge(header(res, 'www-authenticate'));
    await res.body.dump();
    this.base = base;
    return base;
  }

  private async authorization(
    challenge: Challenge | undefined,
    scope: string,
    fresh = false,
  ): Promise<Record<string, string> | undefined> {
    const creds = this.opts.credentials;
    if (challenge?.scheme === 'bearer')
      return { authorization: `Bearer ${await this.token(challenge, scope, fresh)}` };
    if (challenge?.scheme === 'basic' && creds) return { authorization: basicAuth(creds) };
    return undefined;
  }

  private async token(challenge: Challenge, scope: string, fresh: boolean): Promise<string> {
    const cached = this.tokens.get(scope);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
    const realm = challenge.params.realm;
    if (!realm) throw new BosunError('network', `${this.target} asked for a bearer token but named no realm`);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', scope);
    const creds = this.opts.credentials;
    const res = await this.send(url.toString(), creds ? { authorization: basicAuth(creds) } : {});
    if (res.statusCode === 401 || res.statusCode === 403) {
      await res.body.dump();
      throw this.refused(res.statusCode, `, token server ${url.origin}`);
    }
    if (res.statusCode !== 200) {
      const detail = await registryErrorText(res);
      throw new BosunError(
        'network',
        `token server ${url.origin} for ${this.target} answered ${res.statusCode}${detail}`,
        {
          subject: this.subject,
        },
      );
    }
    let body: { token?: unknown; access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse((await readBody(res, TOKEN_LIMIT, 'the token', this.subject)).toString('utf8'));
    } catch (err) {
      if (err instanceof BosunError) throw err;
      throw new BosunError('network', `token server ${url.origin} sent a reply that is not JSON`, {
        subject: this.subject,
      });
    }
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new BosunError('network', `token server ${url.origin} sent no token`, { subject: this.subject });
    }
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in : DEFAULT_TOKEN_LIFETIME;
    // Renew a little early so that a token does not expire between use and arrival.
    this.tokens.set(scope, { token, expiresAt: Date.now() + Math.max(lifetime - 10, 1) * 1000 });
    return token;
  }

  private refused(status: number, via = ''): BosunError {
    const creds = this.opts.credentials;
    const how = creds
      ? `with the credentials from ${creds.origin}`
      : 'without credentials (give --username/--password, set BOSUN_USERNAME/BOSUN_PASSWORD, or docker login)';
    return new BosunError(
      'network',
      `${this.target} refused access to repository ${this.ref.repository} (${status}${via}) ${how}`,
      { subject: this.subject },
    );
  }
}

/** A registry without TLS, or with a private CA, fails the handshake: say what to do about it. */
function withTlsHint(err: BosunError): BosunError {
  if (!/certificate|EPROTO|SSL|TLS/i.test(err.message)) return err;
  return new BosunError(
    'network',
    `${err.message} (for a registry without TLS or with an untrusted certificate use --insecure, ` +
      'or --ca-file with the certificate of the CA that signed it)',
    { subject: err.subject, cause: err.cause },
  );
}

function basicAuth(creds: Credentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}
