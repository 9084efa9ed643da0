/**
 * The commands the language server emits (server/src/protocol/client-commands.ts)
 * are ones the extension contributes and registers, and their ids are written
 * only in that contract: the server builds them with `clientCommand`, the
 * client registers them with `lspCommand`.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { CLIENT_COMMAND_ARGS, ClientCommand, clientCommand } from '../../server/src/protocol/client-commands';

const REPO = resolve(__dirname, '..', '..');
const CONTRACT = 'server/src/protocol/client-commands.ts';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const packageJson = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[] };
};

describe('the language server’s client commands', () => {
  const ids = Object.values(ClientCommand);

  it('are contributed by the extension (package.json)', () => {
    const contributed = new Set(packageJson.contributes.commands.map((c) => c.command));
    assert.deepEqual(
      ids.filter((id) => !contributed.has(id)),
      [],
    );
  });

  it('are each registered by the client with lspCommand', () => {
    const client = sources(join(REPO, 'client', 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const keys = Object.keys(ClientCommand).filter((key) => !client.includes(`lspCommand(ClientCommand.${key},`));
    assert.deepEqual(keys, []);
  });

  it('are written as strings only in the contract', () => {
    const found: string[] = [];
    for (const file of [...sources(join(REPO, 'server', 'src')), ...sources(join(REPO, 'client', 'src'))]) {
      const rel = relative(REPO, file);
      if (rel === CONTRACT) continue;
      const text = readFileSync(file, 'utf8');
      for (const id of ids) if (text.includes(`'${id}'`)) found.push(`${rel}: ${id}`);
    }
    assert.deepEqual(found, []);
  });

  it('check their arguments before the client runs them', () => {
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };
    const pin = CLIENT_COMMAND_ARGS[ClientCommand.pinImageTag];
    assert.equal(pin.valid(['file:///a.yaml', range, 'nginx:latest']), true);
    assert.equal(pin.valid(['file:///a.yaml', range, 'nginx:latest', '1.27']), true);
    assert.equal(pin.valid(['file:///a.yaml', { start: 1 }, 'nginx']), false);
    const refs = CLIENT_COMMAND_ARGS[ClientCommand.showReferences];
    assert.equal(refs.valid(['file:///a.yaml', range.start, [{ uri: 'file:///b.yaml', range }]]), true);
    assert.equal(refs.valid([42]), false);
    assert.equal(refs.valid(['file:///a.yaml', range.start, [{ uri: 'file:///b.yaml' }]]), false);
  });

  it('are built with exactly their arguments', () => {
    const at = { line: 0, character: 0 };
    assert.deepEqual(clientCommand('1 reference', ClientCommand.showReferences, 'file:///a.yaml', at, []), {
      title: '1 reference',
      command: 'kubeWorkbench.showReferences',
      arguments: ['file:///a.yaml', at, []],
    });
    // @ts-expect-error: showReferences takes (uri, position, locations), not a range and an image.
    clientCommand('x', ClientCommand.showReferences, 'file:///a.yaml', { start: at, end: at }, 'nginx');
  });
});
