import type { OsInfo, Package } from './package.js';

/** The JSON report's version; bump on any incompatible change and document it in docs/json-report.md. */
export const REPORT_SCHEMA_VERSION = 1;

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';

export interface LayerInfo {
  diffId: string;
  digest?: string;
  createdBy?: string;
}

/** A problem with one file or layer that did not stop the scan. */
export interface FileError {
  path?: string;
  layer?: LayerInfo;
  analyzer?: string;
  message: string;
}

export interface VulnerabilityFinding {
  id: string;
  aliases: string[];
  pkgId: string;
  pkgName: string;
  pkgPurl?: string;
  installedVersion: string;
  fixedVersion?: string;
  /** fixed: a fix exists; affected: no fix yet; will_not_fix: the distro says it won't. */
  status: 'fixed' | 'affected' | 'will_not_fix';
  severity: Severity;
  cvss?: { source: string; version: string; vector: string; score: number }[];
  severitySource?: string;
  title?: string;
  description?: string;
  references?: string[];
  path?: string;
  layer?: LayerInfo;
  /** The package came from a base-image layer: rebuild on a newer base rather than patch. */
  fromBaseImage?: boolean;
  /** Set when a VEX statement or ignore entry applies but the finding is kept for the record. */
  suppression?: { kind: 'vex' | 'ignore'; statement: string; justification?: string };
}

export interface SecretFinding {
  ruleId: string;
  category: string;
  title: string;
  severity: Severity;
  path: string;
  line?: number;
  /** The matched text with the secret masked. */
  match: string;
  layer?: LayerInfo;
  /** The file was deleted or replaced by a later layer but its bytes are still in the image. */
  removedInLayer?: LayerInfo;
}

export interface Misconfiguration {
  id: string;
  title: string;
  severity: Severity;
  message: string;
  remediation?: string;
  /** CIS Docker Benchmark or other control ids this check evidences. */
  controls?: string[];
  path?: string;
  resource?: string;
  line?: number;
}

export interface Result {
  /** What was scanned: "debian 12 (os)", a lockfile path, a binary path. */
  target: string;
  class: 'os-pkgs' | 'lang-pkgs' | 'secret' | 'config';
  /** Package format (dpkg, npm, …) or config kind (dockerfile, kubernetes, image-config). */
  type: string;
  packages?: Package[];
  vulnerabilities?: VulnerabilityFinding[];
  /** Findings a VEX statement or ignore entry suppressed, kept with the reason. */
  suppressedVulnerabilities?: VulnerabilityFinding[];
  secrets?: SecretFinding[];
  misconfigurations?: Misconfiguration[];
}

export interface Report {
  schemaVersion: number;
  createdAt: string;
  artifact: {
    name: string;
    type: 'container_image' | 'filesystem' | 'rootfs' | 'sbom';
    digest?: string;
    os?: OsInfo;
    layers?: LayerInfo[];
  };
  results: Result[];
  errors: FileError[];
  /** Things the user should know that are not findings: expired ignore entries, an old database. */
  notices?: string[];
  remediation?: Remediation;
}

/** Per package, the lowest version that fixes all its findings, and what upgrading them all fixes. */
export interface Remediation {
  upgrades: { pkgId: string; pkgName: string; installedVersion: string; fixedVersion: string; fixes: number }[];
  /** Findings that upgrading every listed package would fix, of all findings. */
  fixable: number;
  total: number;
  /** Findings in packages of the base image's layers: rebuild on a newer base rather than patch. */
  fromBaseImage: number;
}
