import * as vscode from 'vscode';
import type { CommandTable } from '../command.js';

interface LspRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Commands that quick fixes of the language server run when an edit needs the user's input. */
export const editCommands: CommandTable = {
  /**
   * "Pin image to a version…": asks for the tag and replaces the image
   * reference (arguments from the server: document uri, range of the image, image).
   */
  'kubeWorkbench.pinImageTag': () => async (uri: unknown, range: unknown, image: unknown, tag?: unknown) => {
    if (typeof uri !== 'string' || typeof image !== 'string' || !range || typeof range !== 'object') return false;
    const r = range as LspRange;
    const chosen =
      typeof tag === 'string'
        ? tag
        : await vscode.window.showInputBox({
            title: `Pin ${image} to a version`,
            prompt: 'The tag to run, for example 1.27.3',
            validateInput: (v) =>
              /^[\w][\w.-]{0,127}$/.test(v) ? undefined : 'A tag is letters, digits, `_`, `.` and `-`',
          });
    if (!chosen) return false;
    const edit = new vscode.WorkspaceEdit();
    const base = image.replace(/:latest$/, '');
    edit.replace(
      vscode.Uri.parse(uri),
      new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character),
      `${base}:${chosen}`,
    );
    return vscode.workspace.applyEdit(edit);
  },
};
