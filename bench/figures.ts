// How every bench reports: progress on stderr (stdout carries only the JSON result), figures
// rounded, percentiles of sorted samples, per-second series, and the machine a run had.
import { cpus, loadavg } from "node:os";

export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

export function round(n: number, digits = 2): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** The nearest-rank percentile p of ascending samples; 0 without samples. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Adds `n` to second `sec` of a per-second series, growing it with zeros as needed. */
export function countAt(series: number[], sec: number, n = 1): void {
  while (series.length <= sec) series.push(0);
  series[sec] += n;
}

/** The load average as a run starts: figures on a shared machine are only as good as its idleness. */
export function loadAtStart(): number[] {
  const load = loadavg().map((l) => round(l));
  if (load[0] > cpus().length / 2) log(`load average ${load[0]} on ${cpus().length} CPUs: other work will skew the figures`);
  return load;
}

/** The machine a report describes: Node, its CPUs, and how busy it was at the start and the end. */
export function machine(atStart: number[]) {
  return { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, loadAverage: { atStart, atEnd: loadavg().map((l) => round(l)) } };
}
