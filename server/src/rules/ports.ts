import { isScalar } from 'yaml';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { listLength, numberAt } from './helpers.js';
import type { Path } from './helpers.js';
import { portName } from '../../kube-model/name-formats.js';
import { CONTAINER_LISTS, podSpecPath } from './pod-specs.js';
import type { Rule, RuleContext } from './rule.js';

function inRange(ctx: RuleContext, path: Path, what: string, min: number, max: number, allowZero = false): void {
  const port = numberAt(ctx, path);
  if (!port || (allowZero && port.value === 0)) return;
  if (!Number.isInteger(port.value) || port.value < min || port.value > max) {
    ctx.report(
      port.node,
      DiagnosticCode.invalidPort,
      `${what} ${port.value} is out of range; it must be between ${min} and ${max}`,
    );
  }
}

/** A port given as number or name (targetPort, probe ports). */
function numberOrName(ctx: RuleContext, path: Path, what: string): void {
  const node = ctx.node(path);
  if (!isScalar(node)) return;
  if (typeof node.value === 'number') inRange(ctx, path, what, 1, 65535);
  else if (typeof node.value === 'string') {
    const reason = portName(node.value);
    if (reason)
      ctx.report(
        node,
        DiagnosticCode.invalidPort,
        `${what} \`${node.value}\` is neither a port number nor a valid port name: a name ${reason}`,
      );
  }
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** Port numbers within their ranges and port names in the IANA service-name syntax. */
export const portsRule: Rule = {
  id: 'ports',
  check(ctx) {
    const spec = podSpecPath(ctx.kind);
    if (spec) {
      for (const list of CONTAINER_LISTS) {
        for (let c = 0; c < listLength(ctx, [...spec, list]); c++) {
          const container = [...spec, list, c];
          for (let p = 0; p < listLength(ctx, [...container, 'ports']); p++) {
            inRange(ctx, [...container, 'ports', p, 'containerPort'], 'containerPort', 1, 65535);
            inRange(ctx, [...container, 'ports', p, 'hostPort'], 'hostPort', 1, 65535, true);
            const name = ctx.node([...container, 'ports', p, 'name']);
            if (isScalar(name) && typeof name.value === 'string') {
              const reason = portName(name.value);
              if (reason) ctx.report(name, DiagnosticCode.invalidPort, `port name \`${name.value}\` ${reason}`);
            }
          }
          for (const probe of PROBES) {
            numberOrName(ctx, [...container, probe, 'httpGet', 'port'], `${probe}.httpGet.port`);
            numberOrName(ctx, [...container, probe, 'tcpSocket', 'port'], `${probe}.tcpSocket.port`);
            inRange(ctx, [...container, probe, 'grpc', 'port'], `${probe}.grpc.port`, 1, 65535);
          }
        }
      }
    }
    if (ctx.kind === 'Service') {
      for (let p = 0; p < listLength(ctx, ['spec', 'ports']); p++) {
        inRange(ctx, ['spec', 'ports', p, 'port'], 'port', 1, 65535);
        numberOrName(ctx, ['spec', 'ports', p, 'targetPort'], 'targetPort');
        inRange(ctx, ['spec', 'ports', p, 'nodePort'], 'nodePort', 30000, 32767, true);
      }
    }
  },
};
