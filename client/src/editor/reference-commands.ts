import * as vscode from 'vscode';
import type { Position } from 'vscode-languageserver-types';
import { ClientCommand } from '../../../server/src/protocol/client-commands.js';
import type { CommandTable } from '../command.js';
import { lspCommand } from './lsp-command.js';

const asPosition = (p: Position): vscode.Position => new vscode.Position(p.line, p.character);

export const referenceCommands: CommandTable = {
  /**
   * The reference-count lens's command: the language server sends plain JSON
   * (uri string, position, locations); VS Code's references peek needs Uri,
   * Position and Location objects.
   */
  ...lspCommand(ClientCommand.showReferences, (ctx) => async (uri, position, locations) => {
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
  }),
};
