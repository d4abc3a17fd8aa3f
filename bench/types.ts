/** One line of the bench table. */
export interface BenchRow {
  name: string;
  /** Median wall time over the runs, in milliseconds. */
  medianMs: number;
  runs: number;
  /** Median CPU time (user + system) of the measured process: steadier than wall time on a busy machine. */
  medianCpuMs?: number;
  /** Peak resident set size of the measured process, in MB. */
  peakRssMb?: number;
  /** e.g. "1.12x floor" */
  note?: string;
}

export interface BenchContext {
  /** Runs per measurement (the median is reported). */
  runs: number;
  log(message: string): void;
}

/** A bench case: measures something and returns its rows. Cases are listed in bench/run.ts. */
export interface BenchCase {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}
