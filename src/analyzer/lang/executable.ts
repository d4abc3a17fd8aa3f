import type { FileInfo } from '../types.js';

/** Trees that hold data, headers and package databases rather than programs. */
const NON_BINARY_DIRS =
  /^(?:proc|sys|dev|etc|usr\/share|usr\/include|var\/lib\/(?:dpkg|apt|rpm)|var\/cache|var\/log)\//;
/**
 * Executable-bit files that are scripts, data or libraries by name. Shared libraries (Debian
 * installs them 0755, hundreds per image) are skipped too: Go and Rust programs are executables.
 */
const NON_BINARY_NAMES = /\.(?:sh|bash|py|pl|rb|js|txt|md|json|ya?ml|conf|h|a|o|ko)$|\.so(?:\.\d+)*$/;

/** An executable regular file worth opening to look for embedded build metadata. */
export function isCandidateExecutable(
  path: string,
  info: FileInfo,
  minSize: number,
  maxSize: number,
): boolean {
  return (
    info.type === 'file' &&
    (info.mode & 0o111) !== 0 &&
    info.size >= minSize &&
    info.size <= maxSize &&
    !NON_BINARY_DIRS.test(path) &&
    !NON_BINARY_NAMES.test(path)
  );
}
