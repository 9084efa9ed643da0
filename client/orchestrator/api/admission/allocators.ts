/** Cluster IPs from 10.96.0.0/12 and node ports from 30000-32767, checked against the stored Services. */
import type { ObjectStore } from '../../store/object-store';

const SERVICE_CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const SERVICE_CIDR_SIZE = 1 << 20; // /12
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export function ipToString(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function inServiceRange(ip: string): boolean {
  const n = ipToNumber(ip);
  return n !== undefined && n - SERVICE_CIDR_BASE > 0 && n - SERVICE_CIDR_BASE < SERVICE_CIDR_SIZE - 1;
}

function services(store: ObjectStore) {
  return store.list('/services').items;
}

export function usedClusterIPs(store: ObjectStore, exceptUid?: string): Set<string> {
  const used = new Set<string>();
  for (const svc of services(store)) {
    if (svc.metadata.uid === exceptUid) continue;
    const ip = (svc.spec as { clusterIP?: string } | undefined)?.clusterIP;
    if (ip && ip !== 'None') used.add(ip);
  }
  return used;
}

export function usedNodePorts(store: ObjectStore, exceptUid?: string): Set<number> {
  const used = new Set<number>();
  for (const svc of services(store)) {
    if (svc.metadata.uid === exceptUid) continue;
    for (const p of (svc.spec as { ports?: { nodePort?: number }[] } | undefined)?.ports ?? []) {
      if (typeof p.nodePort === 'number') used.add(p.nodePort);
    }
  }
  return used;
}

export function allocateClusterIP(used: Set<string>, random: () => number = Math.random): string {
  for (let tries = 0; tries < 10_000; tries++) {
    // Skip the network address, 10.96.0.1 (the kubernetes Service) and the broadcast address.
    const offset = 2 + Math.floor(random() * (SERVICE_CIDR_SIZE - 3));
    const ip = ipToString((SERVICE_CIDR_BASE + offset) >>> 0);
    if (!used.has(ip)) return ip;
  }
  throw new Error('no cluster IP left in 10.96.0.0/12');
}

export function allocateNodePort(used: Set<number>, random: () => number = Math.random): number {
  const size = NODE_PORT_MAX - NODE_PORT_MIN + 1;
  const start = Math.floor(random() * size);
  for (let i = 0; i < size; i++) {
    const port = NODE_PORT_MIN + ((start + i) % size);
    if (!used.has(port)) return port;
  }
  throw new Error('no node port left in 30000-32767');
}
