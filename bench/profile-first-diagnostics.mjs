// First diagnostics of the 1,000-Deployment file (bench/lsp-deployments.bench.mjs's
// file, in the workspace folder so the start-up scan reads it too), the server over
// LSP stdio: prints didOpen-to-publish and, with a profile folder, writes the
// server's CPU profile there (`--cpu-prof`) to see what ran before the publish.
//   node --import tsx bench/profile-first-diagnostics.mjs [server.js] [profile-dir] [runs]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deploymentsManifest } from './lib/deployments-manifest.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

const server = process.argv[2] ?? 'server/out/server.js';
const profileDir = process.argv[3];
const runs = Number(process.argv[4] ?? 1);
const dir = mkdtempSync(join(tmpdir(), 'kw-first-diagnostics-'));
try {
  const manifest = deploymentsManifest(1000);
  const file = join(dir, 'deployments.yaml');
  writeFileSync(file, manifest.text);
  const uri = pathToFileURL(file).href;
  for (let run = 0; run < runs; run++) {
    const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval', '250'] : [];
    const client = new LspClient([process.execPath, ...profile, server, '--stdio'], { settings: {} });
    try {
      await client.initialize(dir);
      const started = performance.now();
      const first = client.nextDiagnostics(uri, (ds) =>
        ds.some((d) => d.range.start.line === manifest.lastReplicasLine),
      );
      client.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: manifest.text },
      });
      await first;
      console.log(`${server}: first diagnostics ${(performance.now() - started).toFixed(0)} ms`);
    } finally {
      await client.shutdown();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
