/** What a person reads after "Run" or "Delete": one line per object, then the rollouts. */
import { failureText, type ApplyResult, type DeleteResult } from './apply-engine.js';

const where = (o: { kind: string; namespace?: string | undefined; name: string }) =>
  o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;

export function applyReportLines(result: ApplyResult): string[] {
  const lines = result.applied.map((a) => `${where(a)} ${a.action}`);
  for (const r of result.rollouts)
    lines.push(
      `${where(r)}: ${r.state.phase === 'ready' ? r.state.message : r.state.phase === 'failed' ? failureText(r.state) : r.state.message}`,
    );
  if (result.error && result.rollouts.every((r) => r.state.phase === 'ready')) lines.push(result.error);
  return lines;
}

/** One sentence for a notification. */
export function applySummary(result: ApplyResult): string {
  if (result.applied.length === 0 && result.error) return result.error;
  const counts = new Map<string, number>();
  for (const a of result.applied) counts.set(a.action, (counts.get(a.action) ?? 0) + 1);
  const actions = [...counts].map(([action, n]) => `${n} ${action}`).join(', ');
  if (result.error) return `Applied (${actions}), but: ${result.error}`;
  const ready = result.rollouts.map((r) => `${r.kind} ${r.name} ${r.state.message}`).join(', ');
  return `Applied (${actions})${ready ? `; ${ready}` : ''}.`;
}

export function deleteSummary(result: DeleteResult): string {
  const gone = result.deleted.filter((d) => d.found).map(where);
  const missing = result.deleted.filter((d) => !d.found).map(where);
  const parts = [gone.length > 0 ? `Deleted ${gone.join(', ')}` : 'Nothing was deleted'];
  if (missing.length > 0) parts.push(`not found: ${missing.join(', ')}`);
  if (result.error) parts.push(`stopped: ${result.error}`);
  return `${parts.join('; ')}.`;
}
