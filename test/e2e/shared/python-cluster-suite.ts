/**
 * The set-up and teardown shared by the suites that build and run the Python
 * test app (Run with a build, dev mode): the extension active, the embedded
 * cluster on Docker, a folder of the e2e workspace for the suite's files.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import { pythonImage } from '../../support/language-images.js';
import { dockerAnswers } from './busybox-image.js';
import { KubeApi } from './kube-api.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';

export interface PythonClusterSuite {
  kube: KubeApi;
  /** The Python base image the suite's Dockerfile starts from. */
  base: string;
  /** The suite's folder in the e2e workspace (not created yet). */
  dir: vscode.Uri;
}

/** Undefined (the suite logs that it skips) when no Docker engine answers. */
export async function setUpPythonClusterSuite(
  suite: string,
  folderName: string,
): Promise<PythonClusterSuite | undefined> {
  const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is installed`);
  await extension.activate();
  if (!dockerAnswers()) {
    console.log(`${suite} suite: skipped (no Docker engine answers)`);
    return undefined;
  }
  const base = await pythonImage();
  await vscode.workspace
    .getConfiguration('kubeWorkbench')
    .update('embeddedCluster.runtime', 'docker', vscode.ConfigurationTarget.Global);
  const kube = new KubeApi(await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig'));
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return { kube, base, dir: vscode.Uri.joinPath(folder.uri, folderName) };
}

/** Deletes the suite's Deployment and Service and its folder, stops the cluster, and puts the runtime setting back. */
export async function tearDownPythonClusterSuite(kube: KubeApi, name: string, dir: vscode.Uri): Promise<void> {
  for (const path of [
    `/apis/apps/v1/namespaces/default/deployments/${name}`,
    `/api/v1/namespaces/default/services/${name}`,
  ])
    await kube.call('DELETE', path).catch((error: unknown) => console.log(`cleanup: ${path}: ${String(error)}`));
  await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
  await vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster');
}

/** The runtime setting back to its default. */
export async function resetRuntimeSetting(): Promise<void> {
  await vscode.workspace
    .getConfiguration('kubeWorkbench')
    .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
}
