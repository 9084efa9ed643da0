import { runMocha } from '../shared/run-mocha.js';

/** Entry point the extension host calls (extensionTestsPath). */
export function run(): Promise<void> {
  return runMocha(__dirname, 'Kube Workbench e2e, installed vsix suite');
}
