import * as vscode from 'vscode';
import { ClusterConnection } from './cluster-connection.js';
import { errorText } from './cluster-error.js';
import { connectUserContext } from './kubeconfig-files.js';
import { EmbeddedCluster, type EmbeddedState } from './embedded-cluster.js';
import { ResourceCache } from './resource-cache.js';
import { readConfig } from '../config.js';

export type ActiveCluster = { type: 'embedded' } | { type: 'context'; name: string };
export type Health = 'unknown' | 'stopped' | 'starting' | 'ready' | 'error';

const ACTIVE_KEY = 'kubeWorkbench.activeCluster';

/**
 * Which cluster is active (the embedded one or a kubeconfig context), its
 * health, its connection and the informer cache the explorer reads.
 */
export class ClusterManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly cacheChanged = new vscode.EventEmitter<void>();
  /** Fires (coalesced) when a watched object changes. */
  readonly onDidChangeResources = this.cacheChanged.event;
  private conn: Promise<ClusterConnection> | undefined;
  private resourceCache: ResourceCache | undefined;
  health: Health = 'unknown';
  /** A line for the status bar tooltip: the error, or the fake runtime's reason. */
  detail = '';
  embeddedState: EmbeddedState | undefined;

  constructor(
    private readonly extension: vscode.ExtensionContext,
    private readonly log: (message: string) => void,
  ) {}

  get active(): ActiveCluster {
    return this.extension.globalState.get<ActiveCluster>(ACTIVE_KEY) ?? { type: 'embedded' };
  }

  get label(): string {
    const a = this.active;
    return a.type === 'embedded' ? 'embedded cluster' : a.name;
  }

  get cache(): ResourceCache | undefined {
    return this.resourceCache;
  }

  embedded(): EmbeddedCluster {
    const c = readConfig().embeddedCluster;
    return new EmbeddedCluster({
      storageDir: this.extension.globalStorageUri.fsPath,
      cliScript: this.extension.asAbsolutePath('scripts/kube-workbench.js'),
      port: c.port,
      nodes: c.nodes,
      ...(c.ingressPort === undefined ? {} : { ingressPort: c.ingressPort }),
      ...(c.runtime === 'auto' ? {} : { runtime: c.runtime }),
      ...(c.dockerSocket ? { dockerSocket: c.dockerSocket } : {}),
      // The cluster checks these as it checks its command line: a bad value is a start error the user sees.
      ...(c.maxNodes > 0 ? { maxNodes: Math.max(c.maxNodes, c.nodes) } : {}),
      ...(c.nodeCpu ? { nodeCpu: c.nodeCpu } : {}),
      ...(c.nodeMemory ? { nodeMemory: c.nodeMemory } : {}),
    });
  }

  private setHealth(health: Health, detail = ''): void {
    this.health = health;
    this.detail = detail;
    this.changed.fire();
  }

  /** Looks, without starting anything, whether the active cluster answers; connects when it does. */
  async probe(): Promise<void> {
    try {
      if (this.active.type === 'embedded') {
        const state = await this.embedded().running();
        if (!state) return this.setHealth('stopped');
      }
      await this.connection();
    } catch (error) {
      this.setHealth('error', errorText(error));
    }
  }

  /** The connection made so far (or being made), without starting or connecting anything. */
  current(): Promise<ClusterConnection> | undefined {
    return this.conn;
  }

  /** The active cluster's connection; starts the embedded cluster when it is the active one. */
  connection(): Promise<ClusterConnection> {
    this.conn ??= this.connect().catch((error: unknown) => {
      this.conn = undefined;
      this.setHealth('error', errorText(error));
      throw error;
    });
    return this.conn;
  }

  private async connect(): Promise<ClusterConnection> {
    const active = this.active;
    let conn: ClusterConnection;
    if (active.type === 'embedded') {
      this.setHealth('starting');
      const state = await this.startEmbedded();
      conn = await ClusterConnection.fromKubeconfig(state.kubeconfig);
    } else {
      conn = await connectUserContext(active.name, readConfig().kubeconfigPath);
    }
    const version = await conn.version();
    const note = active.type === 'embedded' ? this.embeddedState?.runtimeNote : undefined;
    this.setHealth('ready', `${conn.server} (${version})${note ? `\n${note}` : ''}`);
    await this.resourceCache?.stop();
    this.resourceCache = new ResourceCache(conn, () => this.cacheChanged.fire(), this.log);
    void this.resourceCache.start().then(() => this.cacheChanged.fire());
    return conn;
  }

  /**
   * The running embedded cluster, started when none runs. Whatever asked for it
   * (a command, the debugger, another extension), the explorer and the status
   * bar follow: when it is the active cluster, this window connects to it.
   */
  async startEmbedded(): Promise<EmbeddedState> {
    const cluster = this.embedded();
    const state = await cluster.ensureStarted();
    if (this.embeddedState?.pid !== state.pid)
      this.log(`embedded cluster: pid ${state.pid}, ${state.api}, runtime ${state.runtime}, log ${state.logFile}`);
    this.embeddedState = state;
    if (this.active.type === 'embedded' && !this.conn) void this.connection().catch(() => undefined);
    return state;
  }

  async stopEmbedded(): Promise<boolean> {
    const stopped = await this.embedded().stop();
    this.embeddedState = undefined;
    if (this.active.type === 'embedded') await this.disconnect('stopped');
    return stopped;
  }

  async switchTo(active: ActiveCluster): Promise<void> {
    await this.extension.globalState.update(ACTIVE_KEY, active);
    await this.disconnect('unknown');
    await this.connection();
  }

  private async disconnect(health: Health): Promise<void> {
    this.conn = undefined;
    const cache = this.resourceCache;
    this.resourceCache = undefined;
    await cache?.stop();
    this.setHealth(health);
    this.cacheChanged.fire();
  }

  dispose(): void {
    void this.resourceCache?.stop();
    this.changed.dispose();
    this.cacheChanged.dispose();
  }
}
