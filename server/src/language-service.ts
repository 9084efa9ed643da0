import type { Diagnostic } from 'vscode-languageserver-types';
import { ChunkCache, parseManifestFile } from './document/manifest-file.js';
import type { ManifestFile } from './document/manifest-file.js';
import { computeDiagnostics } from './features/diagnostics.js';
import { loadSchemas } from './schema/schema-registry.js';
import type { KubernetesSchemas } from './schema/schema-registry.js';

export interface LanguageServiceSettings {
  /** Kubernetes version of the schemas ("1.34", "1.36"); the default when unset. */
  readonly kubernetesVersion?: string | undefined;
  /** Rule ids switched off. */
  readonly disabledRules?: readonly string[];
}

/**
 * The language features behind one facade: LSP handlers, the command line
 * and tests call this and never reach into the features directly.
 */
export interface LanguageService {
  readonly schemas: KubernetesSchemas;
  parse(text: string): ManifestFile;
  diagnostics(text: string): Diagnostic[];
  configure(settings: LanguageServiceSettings): void;
}

export function createLanguageService(settings: LanguageServiceSettings = {}): LanguageService {
  const cache = new ChunkCache();
  let schemas = loadSchemas(settings.kubernetesVersion);
  let disabledRules: ReadonlySet<string> = new Set(settings.disabledRules ?? []);
  return {
    get schemas() {
      return schemas;
    },
    parse: (text) => parseManifestFile(text, cache),
    diagnostics: (text) => computeDiagnostics(parseManifestFile(text, cache), { schemas, disabledRules }),
    configure(next) {
      schemas = loadSchemas(next.kubernetesVersion);
      disabledRules = new Set(next.disabledRules ?? []);
    },
  };
}
