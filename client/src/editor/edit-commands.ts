import * as vscode from 'vscode';
import { ClientCommand } from '../../../server/src/protocol/client-commands.js';
import type { CommandTable } from '../command.js';
import { lspCommand } from './lsp-command.js';

/** Commands that quick fixes of the language server run when an edit needs the user's input. */
export const editCommands: CommandTable = {
  /**
   * "Pin image to a version…": asks for the tag and replaces the image
   * reference (arguments from the server: document uri, range of the image, image).
   */
  ...lspCommand(ClientCommand.pinImageTag, () => async (uri, range, image, tag) => {
    const chosen =
      tag ??
      (await vscode.window.showInputBox({
        title: `Pin ${image} to a version`,
        prompt: 'The tag to run, for example 1.27.3',
        validateInput: (v) =>
          /^[\w][\w.-]{0,127}$/.test(v) ? undefined : 'A tag is letters, digits, `_`, `.` and `-`',
      }));
    if (!chosen) return false;
    const edit = new vscode.WorkspaceEdit();
    const base = image.replace(/:latest$/, '');
    edit.replace(
      vscode.Uri.parse(uri),
      new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character),
      `${base}:${chosen}`,
    );
    return vscode.workspace.applyEdit(edit);
  }),
};
