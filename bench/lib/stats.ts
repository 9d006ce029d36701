import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function max(values: number[]): number {
  return Math.max(...values);
}

/** 1234.5 → "1,235"; small values keep their decimals. */
export function num(value: number, digits = 0): string {
  return value.toLocaleString('en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Where and when the figures were taken, for the heading of the table. */
export function machine() {
  let cpus: string;
  try {
    cpus = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    cpus = String(os.availableParallelism());
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

/** True when `import.meta.url` is the script node was asked to run (not an import). */
export function isEntryPoint(metaUrl: string): boolean {
  return !!process.argv[1] && fileURLToPath(metaUrl) === process.argv[1];
}
