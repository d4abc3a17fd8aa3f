import type { Report } from '../core/report.js';

/** A finding that evidences a control, from any scanner. */
export interface Evidence {
  source: 'misconfiguration' | 'vulnerability' | 'secret';
  id: string;
  target: string;
  message: string;
}

export type ControlStatus = 'pass' | 'fail' | 'manual';

export interface ControlDefinition {
  id: string;
  title: string;
  /** Automated controls fail when any evidence is found; manual ones say why an image cannot show them. */
  evidence?: (report: Report) => Evidence[];
  manualReason?: string;
}

export interface ComplianceSpec {
  id: string;
  title: string;
  controls: readonly ControlDefinition[];
}

export interface ControlResult {
  id: string;
  title: string;
  status: ControlStatus;
  reason?: string;
  findings: Evidence[];
}

export interface ComplianceReport {
  spec: string;
  title: string;
  target: string;
  createdAt: string;
  controls: ControlResult[];
  /** Passed automated controls over all automated ones, in percent (100 when there are none). */
  summary: { pass: number; fail: number; manual: number; score: number };
}
