import type { Connection } from 'vscode-languageserver';
import type { LanguageService, LanguageServiceSettings } from '../language-service.js';

/** The client's `kubeWorkbench` settings section, as the server reads it. */
interface ClientSettings {
  kubernetesVersion?: string;
  rules?: Record<string, boolean>;
  /** Image name -> build context: images Run builds from the workspace. */
  images?: Record<string, unknown>;
}

/**
 * Pulls the `kubeWorkbench` settings when the server starts and whenever they
 * change, configures the language service, then asks for re-validation.
 */
export function registerConfigurationHandler(
  connection: Connection,
  service: LanguageService,
  supportsConfiguration: () => boolean,
  revalidateAll: () => void,
): void {
  const refresh = async (): Promise<void> => {
    if (!supportsConfiguration()) return;
    try {
      const raw = (await connection.workspace.getConfiguration('kubeWorkbench')) as ClientSettings | null;
      if (service.configure(toServiceSettings(raw ?? {}))) revalidateAll();
    } catch (error) {
      connection.console.error(`reading settings failed: ${String(error)}`);
    }
  };
  connection.onInitialized(() => void refresh());
  connection.onDidChangeConfiguration(() => void refresh());
}

export function toServiceSettings(raw: ClientSettings): LanguageServiceSettings {
  const disabledRules = Object.entries(raw.rules ?? {})
    .filter(([, enabled]) => enabled === false)
    .map(([id]) => id);
  const images = raw.images;
  const builtImages =
    typeof images === 'object' && images !== null && !Array.isArray(images) ? Object.keys(images) : [];
  return { kubernetesVersion: raw.kubernetesVersion, disabledRules, builtImages };
}
