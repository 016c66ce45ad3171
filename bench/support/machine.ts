/**
 * What a benchmark ran on. The figures of one build differ by 2x and more between this
 * workplace's machines (same "2 cores", different host CPUs, different share stolen by the
 * host), so every benchmark prints the CPU model, and the share of CPU time the host took
 * while it ran, next to its figures.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** "AMD EPYC, 2 cores, load average 0.4 0.2 0.1" */
export function describeMachine(): string {
  const processors = cpus();
  const model = processors[0]?.model.trim() || 'unknown CPU';
  return `${model}, ${processors.length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

/** The machine's CPU counters from /proc/stat (Linux); undefined elsewhere. */
function readCpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    if (fields.length < 8 || fields.some((n) => !Number.isFinite(n))) return undefined;
    return { total: fields.reduce((a, b) => a + b, 0), steal: fields[7]! };
  } catch {
    return undefined;
  }
}

/** Starts counting; the function it returns says what share of CPU time the host stole since. */
export function startStealMeter(): () => string {
  const before = readCpuTimes();
  return () => {
    const after = readCpuTimes();
    if (!before || !after || after.total === before.total) return 'host steal not measured (no /proc/stat)';
    const share = (after.steal - before.steal) / (after.total - before.total);
    return `the host took ${(share * 100).toFixed(1)}% of the CPU time during the run (steal)`;
  };
}
