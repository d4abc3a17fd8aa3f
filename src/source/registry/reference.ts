import { BosunError } from '../../core/errors.js';

/**
 * Image references, normalised the way Docker does (github.com/distribution/reference,
 * ParseNormalizedNamed): `alpine` is `index.docker.io/library/alpine:latest`.
 */
export interface ImageReference {
  /** Registry host, with its port when one was given: `index.docker.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Repository path inside the registry: `library/alpine`. */
  repository: string;
  /** The tag; `latest` when the reference names neither a tag nor a digest. */
  tag?: string;
  /** `algorithm:hex`; when both tag and digest are given the digest decides what is pulled. */
  digest?: string;
}

/** Docker Hub's registry name; `docker.io` and `registry-1.docker.io` are aliases of it. */
export const DOCKER_HUB = 'index.docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

// The pieces of distribution/reference's grammar (reference/regexp.go).
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainRe = new RegExp(`^(?:${domainName}|${ipv6})(?::[0-9]+)?$`);
const pathComponentRe = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagRe = /^[\w][\w.-]{0,127}$/;
const digestRe = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const NAME_MAX_LENGTH = 255;

function invalid(ref: string, why: string): BosunError {
  return new BosunError('usage', `invalid image reference "${ref}": ${why}`, { subject: ref });
}

export function parseReference(ref: string): ImageReference {
  if (ref === '') throw invalid(ref, 'it is empty');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestRe.test(digest)) throw invalid(ref, `"${digest}" is not a digest (algorithm:hex)`);
    if (digest.startsWith('sha256:') && !/^sha256:[0-9a-f]{64}$/.test(digest)) {
      throw invalid(ref, 'a sha256 digest has 64 lowercase hex digits');
    }
  }
  // A tag follows the last ':' that comes after the last '/' (a ':' before it is a port).
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagRe.test(tag)) throw invalid(ref, `"${tag}" is not a valid tag`);
  }
  if (rest === '') throw invalid(ref, 'it has no repository name');

  // The first component is a registry when it looks like a host: it has a '.' or a ':', is
  // `localhost`, or has uppercase letters (which a repository path may not have).
  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    if (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase()) {
      if (!domainRe.test(first)) throw invalid(ref, `"${first}" is not a valid registry host`);
      registry = DOCKER_HUB_ALIASES.has(first) ? DOCKER_HUB : first;
      repository = rest.slice(slash + 1);
    }
  }
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;

  if (repository !== repository.toLowerCase()) {
    throw invalid(ref, 'repository names must be lowercase');
  }
  for (const component of repository.split('/')) {
    if (!pathComponentRe.test(component)) {
      throw invalid(ref, `"${component}" is not a valid repository path component`);
    }
  }
  if (/^[a-f0-9]{64}$/.test(rest)) {
    throw invalid(ref, 'a 64-character hexadecimal string is an image ID, not a repository name');
  }
  const name = registry === DOCKER_HUB ? repository : `${registry}/${repository}`;
  if (name.length > NAME_MAX_LENGTH) {
    throw invalid(ref, `the repository name is longer than ${NAME_MAX_LENGTH} characters`);
  }
  const parsed: ImageReference = { registry, repository };
  if (tag !== undefined || digest === undefined) parsed.tag = tag ?? 'latest';
  if (digest !== undefined) parsed.digest = digest;
  return parsed;
}

/** The name Docker shows: `alpine` for Hub's library images, `host:port/repo` otherwise. */
export function familiarName(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  return ref.repository.replace(/^library\//, '');
}

/** What to ask the registry's manifest endpoint for: the digest when known, else the tag. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
