import type { Command } from 'commander';
import { analyzersFor } from '../analyzer/registry.js';
import { catalogTarget } from '../scan/catalog.js';
import { addOutputOptions, parseOutputs, writeOutputs } from './output.js';
import { addSourceOptions, sourceOptionsFrom, type SourceFlags } from './source-options.js';

const FORMATS = ['cyclonedx', 'spdx-json', 'json', 'table'];

export function register(program: Command): void {
  addOutputOptions(
    addSourceOptions(
      program
        .command('sbom')
        .description(
          'List every package in an image or directory as an SBOM (CycloneDX 1.6 or SPDX 2.3 JSON)',
        )
        .argument(
          '<target>',
          'image reference, or with --input a path to an archive, OCI layout or directory',
        ),
    ),
    FORMATS,
  ).action(async (target: string, flags: SourceFlags & { format?: string[]; output?: string }) => {
    const outputs = parseOutputs(flags.format ?? ['cyclonedx'], flags.output, FORMATS);
    // An SBOM lists packages: the secret and misconfiguration scanners would only cost time.
    const { report } = await catalogTarget('image', target, {
      ...sourceOptionsFrom(flags),
      analyzers: analyzersFor(['vuln']),
    });
    await writeOutputs(report, outputs);
  });
}
