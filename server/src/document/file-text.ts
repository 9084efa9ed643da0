/**
 * The text of a file as an editor shows it: without the byte order mark that
 * some editors write first (VS Code drops it from the document too), so line
 * 1's columns are the same in the editor, the workspace index and the CLI.
 */
export function fileText(raw: string): string {
  return raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
}
