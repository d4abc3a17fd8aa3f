import type { Analyzer } from '../analyzer/types.js';
import { configKindOf } from './config-scan.js';
import { checkDockerfile } from './dockerfile.js';
import { checkKubernetes } from './kubernetes.js';
import { parseManifests } from './manifests.js';

/** Manifests bigger than this are generated data, not configuration someone maintains. */
const MAX_BYTES = 1024 * 1024;

/**
 * Dockerfiles and Kubernetes manifests found while walking an image, rootfs or project directory
 * (`--scanners misconfig`). Each file is checked on its own: network-policy analysis, which needs
 * all manifests together, is `bosun config`'s. YAML that does not parse is not reported: most YAML
 * in an image is not Kubernetes configuration.
 */
export const configFilesAnalyzer: Analyzer = {
  name: 'misconfig-config-files',
  version: 1,
  required(path, info) {
    return info.type === 'file' && info.size <= MAX_BYTES && configKindOf(path) !== undefined;
  },
  async analyze({ info, content }) {
    const text = (await content.buffer()).toString('utf8');
    if (configKindOf(info.path) === 'dockerfile')
      return { misconfigurations: checkDockerfile(text, info.path) };
    return { misconfigurations: checkKubernetes(parseManifests(text, info.path).manifests) };
  },
};
