import type { Ctx } from './ctx.js';

/**
 * One command of the extension: given the extension's state, the function
 * VS Code runs. Its arguments come from menus, CodeLenses, the language
 * server or tests, so they are `unknown` until the command checks them.
 */
export type Command = (ctx: Ctx) => (...args: unknown[]) => unknown;

/** Commands by id, as a feature contributes them; `commands.ts` assembles the tables. */
export type CommandTable = Record<string, Command>;
