/** How the metrics APIs write numbers and times: Kubernetes quantities and Go durations. */
import { rfc3339 } from '../../clock';

/** CPU as metrics-server writes it: whole nanocores (`12345n`), `0` for none. */
export function cpuQuantity(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  return n === 0 ? '0' : `${n}n`;
}

/** Memory as metrics-server writes it: kibibytes when whole (`2048Ki`), else bytes. */
export function memoryQuantity(bytes: number): string {
  const n = Math.max(0, Math.round(bytes));
  if (n === 0) return '0';
  return n % 1024 === 0 ? `${n / 1024}Ki` : String(n);
}

/** A plain number as a quantity: whole values as they are, fractions in milli-units (`1500m`), as Kubernetes writes them. */
export function valueQuantity(value: number): string {
  if (!Number.isFinite(value) || value <= 0) return '0';
  if (Number.isInteger(value)) return String(value);
  return `${Math.round(value * 1000)}m`;
}

/** A duration as Go prints it (`15s`, `1.5s`, `1m0s`), the form of `window`. */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const secText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  if (hours > 0) return `${hours}h${minutes}m${secText}`;
  if (minutes > 0) return `${minutes}m${secText}`;
  return secText;
}

export function timestampText(ms: number): string {
  return rfc3339(ms);
}
