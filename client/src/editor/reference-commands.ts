import * as vscode from 'vscode';
import type { CommandTable } from '../command.js';

interface LspPosition {
  line: number;
  character: number;
}
interface LspLocation {
  uri: string;
  range: { start: LspPosition; end: LspPosition };
}

const asPosition = (p: LspPosition): vscode.Position => new vscode.Position(p.line, p.character);

function isPosition(v: unknown): v is LspPosition {
  const p = v as Partial<LspPosition> | undefined;
  return typeof p?.line === 'number' && typeof p.character === 'number';
}

function isLocation(v: unknown): v is LspLocation {
  const l = v as Partial<LspLocation> | undefined;
  return typeof l?.uri === 'string' && isPosition(l.range?.start) && isPosition(l.range.end);
}

export const referenceCommands: CommandTable = {
  /**
   * The reference-count lens's command: the language server sends plain JSON
   * (uri string, position, locations); VS Code's references peek needs Uri,
   * Position and Location objects.
   */
  'kubeWorkbench.showReferences': (ctx) => async (uri?: unknown, position?: unknown, locations?: unknown) => {
    if (typeof uri !== 'string' || !isPosition(position) || !Array.isArray(locations) || !locations.every(isLocation))
      throw new Error('kubeWorkbench.showReferences: expected (uri, position, locations) from a reference lens');
    const convert = ctx.client?.protocol2CodeConverter;
    const target = convert ? convert.asUri(uri) : vscode.Uri.parse(uri);
    const at = convert ? convert.asPosition(position) : asPosition(position);
    const found = locations.map((l) =>
      convert
        ? convert.asLocation(l)
        : new vscode.Location(
            vscode.Uri.parse(l.uri),
            new vscode.Range(asPosition(l.range.start), asPosition(l.range.end)),
          ),
    );
    await vscode.commands.executeCommand('editor.action.showReferences', target, at, found);
  },
};
