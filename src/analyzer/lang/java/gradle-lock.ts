import type { Analyzer } from '../../types.js';
import { GRADLE, langPackage, uniqueById } from '../lang-package.js';

/** Gradle 7+ writes one gradle.lockfile per project; Gradle 6 one file per configuration. */
const GRADLE_LOCKFILE = /(?:^|\/)(?:gradle\.lockfile|gradle\/dependency-locks\/[^/]+\.lockfile)$/;

/**
 * Gradle's dependency lock, `group:artifact:version=configuration,…` per line (Gradle 6 files
 * have no `=…`). A dependency used only by test configurations is a development dependency.
 */
export const gradleLockAnalyzer: Analyzer = {
  name: 'gradle-lockfile',
  version: 1,
  wants: { extensions: ['.lockfile'] },
  required: (path, info) => info.type === 'file' && GRADLE_LOCKFILE.test(path),
  async analyze({ info, content }) {
    // Gradle 6 names the file after its configuration.
    const fileConfiguration = /dependency-locks\/([^/]+)\.lockfile$/.exec(info.path)?.[1];
    const pkgs = [];
    for (const line of (await content.buffer()).toString('utf8').split(/\r?\n/)) {
      const m = /^([^#:=\s]+):([^:=\s]+):([^:=\s]+)(?:=(.*))?$/.exec(line.trim());
      if (!m) continue;
      const configurations = (m[4] ?? fileConfiguration ?? '').split(',').filter((c) => c !== '');
      const dev = configurations.length > 0 && configurations.every((c) => /^test/i.test(c));
      pkgs.push(
        langPackage(GRADLE, info.path, 'declared', { name: `${m[1]}:${m[2]}`, version: m[3] as string, dev }),
      );
    }
    return { packages: uniqueById(pkgs) };
  },
};
