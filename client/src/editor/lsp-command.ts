/**
 * Registers a command the language server emits (server/src/protocol/client-commands.ts):
 * the handler gets the argument tuple the server sends, checked at run time
 * first (any extension can run a command with anything).
 */
import {
  CLIENT_COMMAND_ARGS,
  type ClientCommandArgs,
  type ClientCommandId,
} from '../../../server/src/protocol/client-commands.js';
import type { Ctx } from '../ctx.js';

type Command = (ctx: Ctx) => (...args: unknown[]) => unknown;

export function lspCommand<K extends ClientCommandId>(
  id: K,
  handler: (ctx: Ctx) => (...args: ClientCommandArgs[K]) => unknown,
): Record<K, Command> {
  const check = CLIENT_COMMAND_ARGS[id] as {
    describe: string;
    valid(args: readonly unknown[]): args is ClientCommandArgs[K];
  };
  const command: Command = (ctx) => {
    const run = handler(ctx);
    return (...args: unknown[]) => {
      if (!check.valid(args)) throw new Error(`${id}: expected (${check.describe}) from the language server`);
      return run(...args);
    };
  };
  return { [id]: command } as Record<K, Command>;
}
