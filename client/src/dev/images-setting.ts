/**
 * The `kubeWorkbench.images` setting: image names mapped to build contexts
 * (relative to the workspace folder), added to what a skaffold.yaml builds.
 */
import { resolve } from 'node:path';
import { isImageName } from '../../orchestrator/protocol/build-events.js';
import type { DevConfig } from './skaffold-config.js';

/** One entry of the `kubeWorkbench.images` setting: a context folder, or the context and Dockerfile. */
export type ImageSetting = string | { context: string; dockerfile?: string };

/**
 * Adds the images of the `kubeWorkbench.images` setting (image name → context, relative to `root`) to a
 * configuration; an image the skaffold.yaml builds already keeps its skaffold definition. Bad entries are warnings.
 */
export function mergeImagesSetting(
  config: DevConfig,
  setting: unknown,
  root: string,
  settingName = 'kubeWorkbench.images',
): DevConfig {
  if (setting === undefined || setting === null) return config;
  const out: DevConfig = { ...config, artifacts: [...config.artifacts], warnings: [...config.warnings] };
  const warn = (message: string) =>
    out.warnings.push({ message: `${settingName}: ${message}`, file: '', line: 0, column: 0 });
  if (typeof setting !== 'object' || Array.isArray(setting)) {
    warn('must map image names to build contexts');
    return out;
  }
  for (const [image, value] of Object.entries(setting as Record<string, unknown>)) {
    if (!isImageName(image)) {
      warn(`'${image.slice(0, 80)}' is not an image name without a tag`);
      continue;
    }
    if (out.artifacts.some((a) => a.image === image)) continue;
    const context =
      typeof value === 'string'
        ? value
        : isRecord(value) && typeof value.context === 'string'
          ? value.context
          : undefined;
    if (context === undefined || context === '') {
      warn(`${image} needs a context folder (a string, or {"context": ..., "dockerfile": ...})`);
      continue;
    }
    const dockerfile = isRecord(value) && typeof value.dockerfile === 'string' ? value.dockerfile : 'Dockerfile';
    out.artifacts.push({
      image,
      context: resolve(root, context),
      dockerfile,
      buildArgs: {},
      sync: { manual: [], infer: [] },
    });
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
