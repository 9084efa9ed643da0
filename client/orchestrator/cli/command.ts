/**
 * The command table of `kube-workbench <group> <command>` (kubectl's and
 * kind's conventions): every command has a help text, `-h`/`--help` anywhere
 * after it prints that help (exit 0), an unknown flag or command is a usage
 * error with a hint where to look (exit 2), a failure exits 1. A command is
 * one `Command` in its own file under `cluster/`, listed once in its group.
 */
/** Where a command prints: the process' stdout and stderr, or a test's buffers. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}

export interface Command {
  name: string;
  /** One line for the group's list of commands. */
  summary: string;
  /** `usage: ...` and the flags, one per line. */
  help: string;
  /** Resolves with the exit code; throws UsageError for a wrong command line. */
  run(argv: readonly string[], output: Output): Promise<number>;
}

export interface CommandGroup {
  /** The words before the command, e.g. `kube-workbench cluster`. */
  prefix: string;
  summary: string;
  commands: readonly Command[];
}

export function groupHelp(group: CommandGroup): string {
  const width = Math.max(...group.commands.map((c) => c.name.length));
  return [
    `${group.summary}`,
    '',
    `usage: ${group.prefix} <command> [flags]`,
    '',
    'commands:',
    ...group.commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Use '${group.prefix} <command> --help' for a command's flags.`,
    'Exit codes: 0 ok, 1 failure, 2 usage error.',
  ].join('\n');
}

const isHelp = (arg: string) => arg === '-h' || arg === '--help';

/** Runs the command `argv` names in `group`, printing help and usage errors as the conventions say. */
export async function runGroup(group: CommandGroup, argv: readonly string[], output: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || isHelp(name) || name === 'help') {
    const topic = name === 'help' ? group.commands.find((c) => c.name === rest[0]) : undefined;
    output.out(topic ? topic.help : groupHelp(group));
    return EXIT.ok;
  }
  const command = group.commands.find((c) => c.name === name);
  if (!command) {
    const hint = name.startsWith('-') ? `unknown flag: ${name}` : `unknown command '${name}'`;
    output.err(`${group.prefix}: ${hint}\nRun '${group.prefix} --help' for usage.`);
    return EXIT.usage;
  }
  return runCommand(`${group.prefix} ${command.name}`, command, rest, output);
}

/** Runs one command (`words`: how it is called, for messages) with the same help and usage conventions. */
export async function runCommand(
  words: string,
  command: Command,
  rest: readonly string[],
  output: Output,
): Promise<number> {
  // `--` ends the flags: a help flag after it is an argument.
  const end = rest.indexOf('--');
  if ((end === -1 ? rest : rest.slice(0, end)).some(isHelp)) {
    output.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, output);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(`${words}: ${error.message}\nSee '${words} --help' for usage.`);
    return EXIT.usage;
  }
}

/** A flag's spec for parseFlags: whether it takes a value. */
export type FlagSpec = Record<string, 'value' | 'switch'>;

/**
 * `--flag VALUE`, `--flag=VALUE` and `--switch`; every other word is an argument.
 * An unknown flag, or a value flag without a value, is a UsageError.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec): { flags: Map<string, string>; args: string[] } {
  const flags = new Map<string, string>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      args.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const kind = Object.hasOwn(spec, flag) ? spec[flag] : undefined;
    if (kind === undefined) throw new UsageError(`unknown flag: ${flag}`);
    if (kind === 'switch') {
      if (eq !== -1) throw new UsageError(`${flag} takes no value`);
      flags.set(flag, 'true');
      continue;
    }
    const value = eq !== -1 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    flags.set(flag, value);
  }
  return { flags, args };
}

/** No arguments besides the flags. */
export function noArguments(args: readonly string[]): void {
  if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'`);
}
