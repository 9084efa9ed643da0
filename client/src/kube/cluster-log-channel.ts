import { watch, type FSWatcher } from 'node:fs';
import { open } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ClusterManager } from './cluster-manager.js';

const CHUNK = 64 * 1024;

/**
 * An output channel that follows the embedded cluster's log file (the
 * orchestrator's own output): what is already there when the cluster is
 * first seen (its last 64 KiB), then each line as it is appended.
 */
export class ClusterLogChannel implements vscode.Disposable {
  readonly channel: vscode.OutputChannel;
  private file: string | undefined;
  private offset = 0;
  private watcher: FSWatcher | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly clusters: ClusterManager) {
    this.channel = vscode.window.createOutputChannel('Kube Workbench: Embedded Cluster', 'log');
    this.subscription = clusters.onDidChange(() => this.follow(this.clusters.embeddedState?.logFile));
  }

  private follow(file: string | undefined): void {
    if (!file || file === this.file) return;
    this.watcher?.close();
    this.file = file;
    this.offset = -1; // start near the end of what is there
    this.watcher = watch(file, () => this.read());
    this.watcher.on('error', () => undefined);
    this.read();
  }

  private read(): void {
    const file = this.file;
    if (!file) return;
    this.reading = this.reading.then(async () => {
      const handle = await open(file, 'r').catch(() => undefined);
      if (!handle) return;
      try {
        const { size } = await handle.stat();
        if (this.offset < 0 || size < this.offset) this.offset = Math.max(0, size - CHUNK);
        while (this.offset < size) {
          const buffer = Buffer.alloc(Math.min(CHUNK, size - this.offset));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
          if (bytesRead === 0) break;
          this.offset += bytesRead;
          this.channel.append(buffer.subarray(0, bytesRead).toString('utf8'));
        }
      } finally {
        await handle.close();
      }
    });
  }

  dispose(): void {
    this.watcher?.close();
    this.subscription.dispose();
    this.channel.dispose();
  }
}
