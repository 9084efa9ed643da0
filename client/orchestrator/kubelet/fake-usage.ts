/**
 * The fake runtime's resource usage, driven by the pod's annotations so tests
 * and benchmarks can set it through kubectl (`kubectl annotate pod`):
 *
 * - `fake.kube-workbench.io/cpu-millicores`: `250` for every container, or
 *   `app=250,sidecar=10` per container name;
 * - `fake.kube-workbench.io/memory-bytes`: a quantity (`64Mi`), the same forms.
 *
 * Without them a container uses nothing. The counters are cumulative like a
 * real runtime's: each sample adds the usage the annotation says now for the
 * time since the previous sample, so the metrics pipeline computes rates from
 * two samples as it does on Docker.
 */
import { bytes } from '../../../server/kube-model/quantity';
import type { ContainerStats } from './runtime';

export const FAKE_CPU_MILLICORES = 'fake.kube-workbench.io/cpu-millicores';
export const FAKE_MEMORY_BYTES = 'fake.kube-workbench.io/memory-bytes';

/** The value for `container` in `250` or `app=250,sidecar=10` form; undefined when none applies. */
export function valueFor(text: string | undefined, container: string): string | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!trimmed.includes('=')) return trimmed;
  for (const part of trimmed.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === container) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Millicores a container is annotated to use: a finite, non-negative number, else 0. */
export function annotatedMillicores(annotations: Readonly<Record<string, string>>, container: string): number {
  const value = valueFor(annotations[FAKE_CPU_MILLICORES], container);
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return 0;
  const n = Number(value);
  return Number.isFinite(n) && n <= 1e9 ? n : 0;
}

export function annotatedMemory(annotations: Readonly<Record<string, string>>, container: string): number {
  const value = valueFor(annotations[FAKE_MEMORY_BYTES], container);
  if (value === undefined) return 0;
  const n = bytes(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
}

/** Cumulative CPU counters of fake containers. */
export class FakeUsageMeter {
  private readonly counters = new Map<string, { at: number; cpuNs: number }>();

  sample(
    containerId: string,
    container: string,
    annotations: Readonly<Record<string, string>>,
    now: number,
  ): ContainerStats {
    const last = this.counters.get(containerId) ?? { at: now, cpuNs: 0 };
    const elapsedMs = Math.max(0, now - last.at);
    // m millicores for t ms is m/1000 cores * t ms = m * t * 1000 ns.
    const cpuNs = last.cpuNs + annotatedMillicores(annotations, container) * elapsedMs * 1000;
    this.counters.set(containerId, { at: now, cpuNs });
    return {
      timestamp: now,
      cpuUsageNanoSeconds: cpuNs,
      memoryWorkingSetBytes: annotatedMemory(annotations, container),
    };
  }

  forget(containerId: string): void {
    this.counters.delete(containerId);
  }
}
