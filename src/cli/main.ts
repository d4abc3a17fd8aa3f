import { Command, CommanderError } from 'commander';
import { BosunError, ExitCode, errorMessage } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { register as registerClean } from './clean.js';
import { register as registerCompliance } from './compliance.js';
import { register as registerConfig } from './config.js';
import { register as registerDb } from './db.js';
import { register as registerInspect } from './inspect.js';
import { register as registerSbom } from './sbom.js';
import { register as registerScan } from './scan.js';

/**
 * Builds the program. Every command lives in its own file under src/cli/ and is registered here,
 * explicitly, so that the list of commands is one place to read.
 */
export function buildProgram(): Command {
  const program = new Command('bosun')
    .description(
      'Inspect container images: packages, vulnerabilities, secrets, misconfigurations, policy gates',
    )
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerDb(program);
  registerClean(program);
  registerInspect(program);
  registerSbom(program);
  registerScan(program);
  registerConfig(program);
  registerCompliance(program);
  return program;
}

/** Runs the CLI and returns the process exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (err instanceof BosunError) {
      process.stderr.write(`bosun: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`bosun: internal error: ${errorMessage(err)}\n`);
    if (process.env.BOSUN_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return ExitCode.internal;
  }
}
