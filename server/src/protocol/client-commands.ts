/**
 * The commands the language server asks the client to run (from a quick fix
 * or a CodeLens), with the arguments each one receives. The server builds an
 * LSP `Command` with `clientCommand` and the client registers its handler with
 * the same id and argument tuple (client/src/editor/lsp-command.ts), so a
 * change on one side that the other does not follow fails the typecheck.
 * package.json contributes the same ids (a unit test checks both).
 */
import type { Command, Location, Position, Range } from 'vscode-languageserver-types';

export const ClientCommand = {
  /** "Pin image to a version…": asks for a tag and replaces the image reference. */
  pinImageTag: 'kubeWorkbench.pinImageTag',
  /** The reference-count lens: peeks at the resources that reference a document. */
  showReferences: 'kubeWorkbench.showReferences',
} as const;

export type ClientCommandId = (typeof ClientCommand)[keyof typeof ClientCommand];

/** The arguments of each command, as JSON travels over LSP (strings for URIs, plain ranges). */
export interface ClientCommandArgs {
  [ClientCommand.pinImageTag]: [uri: string, range: Range, image: string, tag?: string];
  [ClientCommand.showReferences]: [uri: string, position: Position, locations: Location[]];
}

/** Builds the LSP `Command` that runs `id` on the client with exactly its arguments. */
export function clientCommand<K extends ClientCommandId>(title: string, id: K, ...args: ClientCommandArgs[K]): Command {
  return { title, command: id, arguments: args };
}

function isPosition(v: unknown): v is Position {
  const p = v as Partial<Position> | null | undefined;
  return typeof p?.line === 'number' && typeof p.character === 'number';
}

function isRange(v: unknown): v is Range {
  const r = v as Partial<Range> | null | undefined;
  return isPosition(r?.start) && isPosition(r.end);
}

function isLocation(v: unknown): v is Location {
  const l = v as Partial<Location> | null | undefined;
  return typeof l?.uri === 'string' && isRange(l.range);
}

/**
 * What the client checks before running a command: the arguments arrive as
 * untrusted JSON (any extension can run a command), so each id has a guard
 * and a description of the arguments for the error message.
 */
export const CLIENT_COMMAND_ARGS: {
  [K in ClientCommandId]: { describe: string; valid(args: readonly unknown[]): args is ClientCommandArgs[K] };
} = {
  [ClientCommand.pinImageTag]: {
    describe: 'uri, range, image[, tag]',
    valid: (a): a is ClientCommandArgs[typeof ClientCommand.pinImageTag] =>
      typeof a[0] === 'string' &&
      isRange(a[1]) &&
      typeof a[2] === 'string' &&
      (a[3] === undefined || typeof a[3] === 'string'),
  },
  [ClientCommand.showReferences]: {
    describe: 'uri, position, locations',
    valid: (a): a is ClientCommandArgs[typeof ClientCommand.showReferences] =>
      typeof a[0] === 'string' && isPosition(a[1]) && Array.isArray(a[2]) && a[2].every(isLocation),
  },
};
