import { Option, type Command } from 'commander';
import { BosunError } from '../core/errors.js';
import type { SourceOptions } from '../source/index.js';

/** Flags every command that opens an image shares: where the image is and how to reach it. */
export function addSourceOptions(command: Command): Command {
  return command
    .option(
      '--input',
      'TARGET is a path: docker-archive, OCI archive, OCI layout or root filesystem directory',
    )
    .option(
      '--platform <os/arch[/variant]>',
      'the image to pick from a multi-platform index (default: linux/amd64)',
    )
    .option(
      '--image-src <sources>',
      'where to look for an image reference, in order: daemon,registry',
      'daemon,registry',
    )
    .option('--insecure', 'plain HTTP registries, and HTTPS without certificate checks')
    .option('--ca-file <file>', 'extra CA certificate (PEM) for the registry')
    .addOption(new Option('--username <user>', 'registry user').env('BOSUN_USERNAME'))
    .addOption(new Option('--password <password>', 'registry password or token').env('BOSUN_PASSWORD'))
    .option(
      '--docker-config <dir>',
      'folder of config.json with registry credentials (default: $DOCKER_CONFIG or ~/.docker)',
    )
    .option(
      '--docker-host <url>',
      'Docker Engine API socket (default: $DOCKER_HOST or unix:///var/run/docker.sock)',
    );
}

export interface SourceFlags {
  input?: boolean;
  platform?: string;
  imageSrc?: string;
  insecure?: boolean;
  caFile?: string;
  username?: string;
  password?: string;
  dockerConfig?: string;
  dockerHost?: string;
}

export function sourceOptionsFrom(flags: SourceFlags): SourceOptions & { input?: boolean } {
  const imageSrc = (flags.imageSrc ?? 'daemon,registry').split(',').map((s) => s.trim());
  for (const src of imageSrc) {
    if (src !== 'daemon' && src !== 'registry') {
      throw new BosunError('usage', `--image-src: unknown source "${src}" (expected daemon, registry)`, {
        subject: '--image-src',
      });
    }
  }
  return {
    ...(flags.input ? { input: true } : {}),
    ...(flags.platform ? { platform: flags.platform } : {}),
    imageSrc: imageSrc as ('daemon' | 'registry')[],
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.caFile ? { caFile: flags.caFile } : {}),
    ...(flags.username ? { username: flags.username } : {}),
    ...(flags.password ? { password: flags.password } : {}),
    ...(flags.dockerConfig ? { dockerConfig: flags.dockerConfig } : {}),
    ...(flags.dockerHost ? { dockerHost: flags.dockerHost } : {}),
  };
}
