/**
 * A step Run takes between parsing the manifests and applying them, which a
 * feature above `run/` installs on the context (`Ctx.prepareRun`): the dev
 * feature builds the images the objects name and points them at the builds.
 * An `error` stops the run before anything is applied.
 */
import type * as vscode from 'vscode';
import type { ManifestObject } from './manifest-documents.js';

export interface RunPreparation {
  objects: ManifestObject[];
  error?: string;
}

export type RunPreparer = (
  objects: readonly ManifestObject[],
  sources: readonly { uri: vscode.Uri }[],
  report: (message: string) => void,
  signal: AbortSignal,
) => Promise<RunPreparation>;
