import { execFile, type ExecFileException } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { BosunError } from '../../core/errors.js';
import { DOCKER_HUB } from './reference.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for error messages: `--username`, `BOSUN_USERNAME` or a file path. */
  origin: string;
}

export interface CredentialOptions {
  username?: string;
  password?: string;
  /** A Docker config file, or the directory holding `config.json` (like DOCKER_CONFIG). */
  dockerConfig?: string;
}

/**
 * Credentials for `registry`, first found wins: the options (`--username`/`--password`), the
 * environment (BOSUN_USERNAME/BOSUN_PASSWORD), then the Docker config (`--docker-config`, else
 * $DOCKER_CONFIG/config.json, else ~/.docker/config.json): its credential helper for the registry
 * (`credHelpers`, else `credsStore`), then its `auths` entry. Identity tokens (OAuth2 refresh
 * tokens) are not used.
 */
export async function resolveCredentials(
  registry: string,
  opts: CredentialOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | undefined> {
  const fromOptions = pair(opts.username, opts.password, '--username', '--password');
  if (fromOptions) return fromOptions;
  const fromEnv = pair(env.BOSUN_USERNAME, env.BOSUN_PASSWORD, 'BOSUN_USERNAME', 'BOSUN_PASSWORD');
  if (fromEnv) return fromEnv;
  return fromDockerConfig(registry, opts.dockerConfig, env);
}

function pair(
  username: string | undefined,
  password: string | undefined,
  userName: string,
  passName: string,
): Credentials | undefined {
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined) {
    const missing = username === undefined ? userName : passName;
    throw new BosunError('usage', `${userName} and ${passName} go together; ${missing} is missing`, {
      subject: missing,
    });
  }
  return { username, password, origin: userName };
}

async function dockerConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  if (explicit !== undefined) {
    const isDir = await stat(explicit).then(
      (s) => s.isDirectory(),
      () => false,
    );
    return isDir ? path.join(explicit, 'config.json') : explicit;
  }
  const dir = env.DOCKER_CONFIG || path.join(env.HOME || homedir(), '.docker');
  return path.join(dir, 'config.json');
}

interface DockerAuthEntry {
  auth?: string;
  username?: string;
  password?: string;
}

interface DockerConfig {
  auths?: Record<string, DockerAuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * Asks `docker-credential-<helper> get` (the docker-credential-helpers protocol: the server URL
 * on stdin, `{"Username","Secret"}` on stdout). A helper that knows nothing exits non-zero: no
 * credentials. An identity token (Username `<token>`) needs OAuth2 and is not used.
 */
async function fromCredentialHelper(
  helper: string,
  registry: string,
  file: string,
  env: NodeJS.ProcessEnv,
): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`;
  const serverUrl = registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : registry;
  const result = await new Promise<{ stdout: string; error?: ExecFileException }>((resolve) => {
    const child = execFile(program, ['get'], { env, timeout: 30_000 }, (error, stdout) =>
      resolve({ stdout, ...(error ? { error } : {}) }),
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(serverUrl);
  });
  if (result.error?.code === 'ENOENT') {
    throw new BosunError(
      'config',
      `Docker config ${file} names credential helper ${program}, which is not on PATH`,
      {
        subject: file,
      },
    );
  }
  if (result.error) return undefined;
  try {
    const { Username, Secret } = JSON.parse(result.stdout) as { Username?: string; Secret?: string };
    if (!Username || Secret === undefined || Username === '<token>') return undefined;
    return { username: Username, password: Secret, origin: program };
  } catch (err) {
    throw new BosunError('config', `${program} get answered something that is not JSON`, {
      subject: file,
      cause: err,
    });
  }
}

async function fromDockerConfig(
  registry: string,
  explicit: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<Credentials | undefined> {
  const file = await dockerConfigFile(explicit, env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if (explicit === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BosunError('config', `cannot read Docker config ${file}: ${(err as Error).message}`, {
      subject: file,
      cause: err,
    });
  }
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch (err) {
    throw new BosunError('config', `Docker config ${file} is not valid JSON`, { subject: file, cause: err });
  }
  const wanted = registryAliases(registry);
  const matches = (key: string): boolean => wanted.has(authKeyHost(key));
  // As docker does: a per-registry helper, else the default store, else the file's own entries.
  const helper =
    Object.entries(config.credHelpers ?? {}).find(([key]) => matches(key))?.[1] ?? config.credsStore;
  if (helper) {
    const fromHelper = await fromCredentialHelper(helper, registry, file, env);
    if (fromHelper) return fromHelper;
  }
  const entry = Object.entries(config.auths ?? {}).find(([key]) => matches(key))?.[1];
  if (!entry) return undefined;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) {
      throw new BosunError(
        'config',
        `Docker config ${file}: the "auth" of ${registry} is not base64 of user:password`,
        {
          subject: file,
        },
      );
    }
    return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), origin: file };
  }
  if (entry.username !== undefined && entry.password !== undefined) {
    return { username: entry.username, password: entry.password, origin: file };
  }
  return undefined;
}

/** `https://index.docker.io/v1/` → `index.docker.io`: keys may carry a scheme and a path. */
function authKeyHost(key: string): string {
  return key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '');
}

function registryAliases(registry: string): Set<string> {
  return registry === DOCKER_HUB
    ? new Set([DOCKER_HUB, 'docker.io', 'registry-1.docker.io'])
    : new Set([registry]);
}
