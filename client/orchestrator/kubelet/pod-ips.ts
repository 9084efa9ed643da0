/**
 * Fixed pod IPs on a cluster network made with a subnet of its own (`DockerEngine.ensureNetwork`): the engine hands
 * out the lower half of the subnet (Service proxies), and the runtime gives every pod an address of the upper half
 * with `--ip`, kept for the pod's life on its node. So a pod whose app container held its network (no sandbox) keeps
 * its IP when that container exits and a sandbox takes the network over: the engine frees an address when its
 * container stops and gives the lowest free one to the next container, which would take the pod's address during
 * its back-off. Addresses are handed out in turn (an address freed is the last to come round again), and one held
 * by a pod, running or not, is never handed out while the pod lives.
 */

/** The lower half of an IPv4 subnet for the engine, the upper half for pods; undefined for one too small to split. */
export function splitSubnet(cidr: string): { auto: string; pods: string } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits < 8 || bits > 26) return undefined;
  const half = 2 ** (31 - bits);
  const base = Math.floor(toNumber(octets) / (half * 2)) * half * 2;
  return { auto: `${toAddress(base)}/${bits + 1}`, pods: `${toAddress(base + half)}/${bits + 1}` };
}

const toNumber = (o: number[]) => ((o[0]! * 256 + o[1]!) * 256 + o[2]!) * 256 + o[3]!;
const toAddress = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

function parseAddress(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  return octets.some((o) => o > 255) ? undefined : toNumber(octets);
}

export class PodIps {
  private readonly first: number;
  private readonly count: number;
  private cursor = 0;
  private readonly byPod = new Map<string, number>();
  /** Address -> the pod holding it ('' for one refused by the engine: held by something unseen). */
  private readonly holders = new Map<number, string>();

  /** `range`: the pods' half of the subnet (`splitSubnet(...).pods`). */
  constructor(range: string) {
    const [address = '', bits = ''] = range.split('/');
    const base = parseAddress(address);
    const n = Number(bits);
    if (base === undefined || !Number.isInteger(n) || n < 8 || n > 30) throw new Error(`not an IPv4 range: ${range}`);
    this.count = 2 ** (32 - n);
    this.first = Math.floor(base / this.count) * this.count;
  }

  /** Whether `ip` is one this pool hands out. */
  has(ip: string): boolean {
    const n = parseAddress(ip);
    return n !== undefined && n >= this.first && n < this.first + this.count && usable(n);
  }

  /** An address a container of the cluster holds (seen at start): the pod keeps it, nobody else gets it. */
  hold(ip: string, podUid: string): void {
    const n = parseAddress(ip);
    if (n === undefined || !this.has(ip)) return;
    this.holders.set(n, podUid);
    if (podUid !== '') this.byPod.set(podUid, n);
    this.cursor = Math.max(this.cursor, n - this.first + 1) % this.count;
  }

  /** The pod's address: the one it holds, else the next free one; undefined when every address is held. */
  take(podUid: string): string | undefined {
    const held = this.byPod.get(podUid);
    if (held !== undefined) return toAddress(held);
    for (let i = 0; i < this.count; i++) {
      const n = this.first + ((this.cursor + i) % this.count);
      if (!usable(n) || this.holders.has(n)) continue;
      this.cursor = (n - this.first + 1) % this.count;
      this.holders.set(n, podUid);
      this.byPod.set(podUid, n);
      return toAddress(n);
    }
    return undefined;
  }

  /** The engine refused the pod's address (held by something unseen): it stays held, and the pod gets another. */
  replace(podUid: string): string | undefined {
    const held = this.byPod.get(podUid);
    if (held !== undefined) {
      this.holders.set(held, '');
      this.byPod.delete(podUid);
    }
    return this.take(podUid);
  }

  /** The pod is gone: its address comes round again in turn. */
  release(podUid: string): void {
    const held = this.byPod.get(podUid);
    if (held === undefined) return;
    this.byPod.delete(podUid);
    if (this.holders.get(held) === podUid) this.holders.delete(held);
  }
}

/** Not a network's or broadcast-looking address (`.0`, `.255`): some tools take those for special ones. */
const usable = (n: number) => (n & 255) !== 0 && (n & 255) !== 255;

/**
 * The cluster's pool, shared by its nodes' runtimes (one engine, one network): made once the network's pod range is
 * known, with the addresses the cluster's containers already hold (their labels).
 */
export class SharedPodIps {
  private pool: { range: string; ips: Promise<PodIps> } | undefined;

  get(range: string, holders: () => Promise<{ ip: string; podUid: string }[]>): Promise<PodIps> {
    if (this.pool?.range !== range) {
      const ips = (async () => {
        const pool = new PodIps(range);
        for (const h of await holders()) pool.hold(h.ip, h.podUid);
        return pool;
      })();
      const entry = { range, ips };
      ips.catch(() => {
        if (this.pool === entry) this.pool = undefined;
      });
      this.pool = entry;
    }
    return this.pool.ips;
  }
}
