// `cluster start --runtime fake` from another build of the project (a directory holding its
// scripts/kube-workbench.js and client/out/), for benches that compare a baseline build with
// this one in the same run. Resolves with the child and the API's URL once it answers.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function startClusterAt(root, dataDir, extra = [], nodeArgs = []) {
  const child = spawn(process.execPath, [
    ...nodeArgs,
    join(root, 'scripts', 'kube-workbench.js'),
    ...['cluster', 'start', '--data-dir', dataDir, '--port', '0', '--runtime', 'fake', ...extra],
  ]);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`baseline cluster did not start:\n${err}`)), 30_000);
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      out += c;
      const m = /^api: (\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, api: m[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`baseline cluster exited with ${String(code)}:\n${err}`));
    });
  });
}
