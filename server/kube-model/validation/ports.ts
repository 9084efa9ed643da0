/** Port numbers, port names and int-or-string ports, as Kubernetes' `IsValidPortNum`/`IsValidPortName` word them. */
import { type FieldError, type FieldPath, invalid, notSupported } from './field-error';

export const PORT_RANGE_ERROR = 'must be between 1 and 65535, inclusive';

export const isPortNumber = (v: unknown): boolean =>
  typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** Whether a port name has nothing wrong (`portNameErrors` is empty), without building the list. */
export const isValidPortName = (name: string): boolean =>
  name.length <= 15 &&
  /^[-a-z0-9]+$/.test(name) &&
  /[a-z]/.test(name) &&
  !name.includes('--') &&
  !name.startsWith('-') &&
  !name.endsWith('-');

/** Everything wrong with an IANA service name used as a port name, in Kubernetes' words. */
export function portNameErrors(name: string): string[] {
  const errors: string[] = [];
  if (name.length > 15) errors.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errors.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errors.push('must not contain consecutive hyphens (-)');
  if (name.startsWith('-') || name.endsWith('-')) errors.push('must not begin or end with a hyphen (-)');
  return errors;
}

/** A port number that must be in 1-65535 when present. */
export function validatePortNumber(port: unknown, path: FieldPath, out: FieldError[]): void {
  if (typeof port === 'number' && !isPortNumber(port)) out.push(invalid(path, port, PORT_RANGE_ERROR, 'port'));
}

export function validatePortName(name: unknown, path: FieldPath, out: FieldError[]): void {
  if (typeof name === 'string') for (const e of portNameErrors(name)) out.push(invalid(path, name, e, 'port'));
}

/** Whether `validateNumberOrName(port, path, out, allowZero)` finds nothing (callers build the path only when it would). */
export const isValidNumberOrName = (port: unknown, allowZero = false): boolean =>
  typeof port === 'number'
    ? (allowZero && port === 0) || isPortNumber(port)
    : typeof port !== 'string' || isValidPortName(port);

/** A port given as a number or a name (probe ports, a Service's targetPort); `allowZero` for a defaulted 0. */
export function validateNumberOrName(port: unknown, path: FieldPath, out: FieldError[], allowZero = false): void {
  if (typeof port === 'number') {
    if (!(allowZero && port === 0)) validatePortNumber(port, path, out);
  } else validatePortName(port, path, out);
}

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export const isProtocol = (v: unknown): boolean => typeof v === 'string' && PROTOCOLS.includes(v);

export function validateProtocol(protocol: unknown, path: FieldPath, out: FieldError[]): void {
  if (protocol !== undefined && !(typeof protocol === 'string' && PROTOCOLS.includes(protocol)))
    out.push(notSupported(path, protocol, PROTOCOLS, 'port'));
}
