import type { Diagnostic } from 'vscode-languageserver-types';
import { parseManifestFile } from './document/manifest-file.js';
import type { ManifestFile } from './document/manifest-file.js';
import { computeDiagnostics } from './features/diagnostics.js';

/**
 * The language features behind one facade: LSP handlers, the command line
 * and tests call this and never reach into the features directly.
 */
export interface LanguageService {
  parse(text: string): ManifestFile;
  diagnostics(text: string): Diagnostic[];
}

export function createLanguageService(): LanguageService {
  return {
    parse: parseManifestFile,
    diagnostics: (text) => computeDiagnostics(parseManifestFile(text)),
  };
}
