import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT, parseFlags, runGroup, UsageError, type Command, type CommandGroup } from './command';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const ran: (readonly string[])[] = [];
const echo: Command = {
  name: 'echo',
  summary: 'says its arguments',
  help: 'usage: kw group echo [--loud] [--to X] WORD...',
  run: (argv) => {
    const { args } = parseFlags(argv, { '--loud': 'switch', '--to': 'value' });
    ran.push(args);
    return Promise.resolve(EXIT.ok);
  },
};
const group: CommandGroup = { prefix: 'kw group', summary: 'A test group.', commands: [echo] };

describe('command table', () => {
  it('parses both flag spellings, switches and arguments; -- ends the flags', () => {
    assert.deepEqual(
      parseFlags(['a', '--to', 'x', '--loud', 'b', '--', '--to'], { '--loud': 'switch', '--to': 'value' }),
      {
        flags: new Map([
          ['--to', 'x'],
          ['--loud', 'true'],
        ]),
        args: ['a', 'b', '--to'],
      },
    );
    assert.equal(parseFlags(['--to=y'], { '--to': 'value' }).flags.get('--to'), 'y');
  });

  it('refuses unknown flags, missing values, values on switches and inherited names', () => {
    const spec = { '--loud': 'switch', '--to': 'value' } as const;
    assert.throws(() => parseFlags(['--nope'], spec), UsageError);
    assert.throws(() => parseFlags(['--to'], spec), /--to needs a value/);
    assert.throws(() => parseFlags(['--to='], spec), /--to needs a value/);
    assert.throws(() => parseFlags(['--loud=yes'], spec), /takes no value/);
    assert.throws(() => parseFlags(['--constructor'], spec), /unknown flag: --constructor/);
    assert.throws(() => parseFlags(['--__proto__'], spec), /unknown flag: --__proto__/);
  });

  it('prints the group help with no command, --help or help, and a command help for help NAME', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const c = capture();
      assert.equal(await runGroup(group, argv, c.output), EXIT.ok);
      assert.match(c.out.join('\n'), /usage: kw group <command>[\s\S]*echo {2}says its arguments/);
    }
    const c = capture();
    assert.equal(await runGroup(group, ['help', 'echo'], c.output), EXIT.ok);
    assert.deepEqual(c.out, [echo.help]);
  });

  it('prints the command help for -h anywhere before --, without running it', async () => {
    ran.length = 0;
    const c = capture();
    assert.equal(await runGroup(group, ['echo', 'a', '--to', 'x', '-h'], c.output), EXIT.ok);
    assert.deepEqual(c.out, [echo.help]);
    assert.equal(ran.length, 0);
    assert.equal(await runGroup(group, ['echo', '--', '-h'], capture().output), EXIT.ok);
    assert.deepEqual(ran, [['-h']]);
  });

  it('answers usage errors with exit 2 and a hint', async () => {
    let c = capture();
    assert.equal(await runGroup(group, ['nope'], c.output), EXIT.usage);
    assert.deepEqual(c.err, ["kw group: unknown command 'nope'\nRun 'kw group --help' for usage."]);
    c = capture();
    assert.equal(await runGroup(group, ['echo', '--bad'], c.output), EXIT.usage);
    assert.deepEqual(c.err, ["kw group echo: unknown flag: --bad\nSee 'kw group echo --help' for usage."]);
  });
});
