import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A CommonJS dependency loaded on its first use rather than when bosun starts. Every command
 * loads the CLI, and libraries such as the CycloneDX model (with its JSON validator) or the CVSS
 * calculator take 50–150 ms each to load: only the commands and formats that use them pay for it.
 * Synchronous, so that synchronous code (report writers, scoring) can use it.
 */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

/** Parsers that several analyzers and config readers share, each loaded on its first use. */
export const yamlLibrary = lazyRequire<typeof import('yaml')>('yaml');
export const tomlLibrary = lazyRequire<typeof import('smol-toml')>('smol-toml');
/** packageurl-js builds an `Intl.Collator` as it loads, about 70 ms: a warm scan builds no purl. */
export const purlLibrary = lazyRequire<typeof import('packageurl-js')>('packageurl-js');
