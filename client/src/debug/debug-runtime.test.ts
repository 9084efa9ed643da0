import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectRuntime, isGoExecutable, runtimeOfArgv, runtimeOfImage } from './debug-runtime';

/** The start of an ELF file with, somewhere after the header, the given bytes. */
function elf(...parts: Buffer[]): Buffer {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0x7f454c46, 0);
  return Buffer.concat([header, ...parts]);
}

function goNote(): Buffer {
  const note = Buffer.alloc(16);
  note.writeUInt32LE(4, 0); // namesz
  note.writeUInt32LE(83, 4); // descsz
  note.writeUInt32LE(4, 8); // type: Go build ID
  note.write('Go\0\0', 12, 'latin1');
  return Buffer.concat([note, Buffer.from('abc/def')]);
}

describe('runtimeOfArgv', () => {
  it('knows Python interpreters, scripts and launchers', () => {
    for (const argv of [
      ['python3', 'app.py'],
      ['/usr/local/bin/python3.12', '-u', 'app.py'],
      ['python', '-m', 'flask', 'run'],
      ['./server.py'],
      ['gunicorn', '-b', '0.0.0.0:8000', 'app:app'],
      ['/usr/local/bin/uvicorn', 'main:app'],
      ['pypy3', 'x.py'],
    ])
      assert.equal(runtimeOfArgv(argv).runtime, 'python', argv.join(' '));
  });

  it('knows Node.js and commands already under a debugger', () => {
    assert.equal(runtimeOfArgv(['node', 'server.js']).runtime, 'node');
    assert.equal(runtimeOfArgv(['npm', 'start']).runtime, 'node');
    assert.equal(runtimeOfArgv(['/app/run', '--inspect=9229']).runtime, 'node');
    assert.equal(runtimeOfArgv(['dlv', 'exec', '/app/server']).runtime, 'go');
    assert.equal(runtimeOfArgv(['debugpy', '--listen', '5678']).runtime, 'python');
  });

  it('says nothing of a binary or an empty command, and says why', () => {
    const guess = runtimeOfArgv(['/app/server']);
    assert.equal(guess.runtime, undefined);
    assert.match(guess.reason, /server/);
    assert.equal(runtimeOfArgv([]).runtime, undefined);
    assert.equal(runtimeOfArgv(['']).runtime, undefined);
    // Names that merely contain a runtime's name are not it.
    assert.equal(runtimeOfArgv(['pythonic-server']).runtime, undefined);
    assert.equal(runtimeOfArgv(['nodeapp']).runtime, undefined);
  });
});

describe('runtimeOfImage', () => {
  it('reads official image names, with registry, tag and digest', () => {
    assert.equal(runtimeOfImage('python:3.12-slim').runtime, 'python');
    assert.equal(runtimeOfImage('registry.local:5000/library/node:20@sha256:abc').runtime, 'node');
    assert.equal(runtimeOfImage('golang:1.22').runtime, 'go');
    assert.equal(runtimeOfImage('shop/flask-api:v1').runtime, 'python');
    assert.equal(runtimeOfImage('shop/web:1').runtime, undefined);
    assert.equal(runtimeOfImage('kube-workbench-test/go-app:1234').runtime, undefined);
  });
});

describe('isGoExecutable', () => {
  it('finds the Go build ID note or string in an ELF file', () => {
    assert.equal(isGoExecutable(elf(Buffer.alloc(100), goNote())), true);
    assert.equal(isGoExecutable(elf(Buffer.from('\xff Go build ID: "abc"', 'latin1'))), true);
  });

  it('refuses what is not an ELF Go program', () => {
    assert.equal(isGoExecutable(elf(Buffer.from('GNU\0 some C program'))), false);
    assert.equal(isGoExecutable(Buffer.from('#!/bin/sh\necho Go build ID: "x"\n')), false, 'a script, not ELF');
    assert.equal(isGoExecutable(Buffer.alloc(0)), false);
    assert.equal(isGoExecutable(Buffer.from([0x7f, 0x45])), false, 'truncated');
    // "Go\0\0" near the start, with no room for a note header before it.
    assert.equal(
      isGoExecutable(Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from('Go\0\0'), Buffer.alloc(20)])),
      false,
    );
  });

  it('finds the note in a real Go binary when one can be built here', (t) => {
    if (!existsSync('/usr/bin/go')) return t.skip('no Go toolchain (apt-get install -y golang-go)');
    const dir = mkdtempSync(join(tmpdir(), 'kw-go-head-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module x\n\ngo 1.19\n');
      writeFileSync(join(dir, 'main.go'), 'package main\n\nfunc main() {}\n');
      execFileSync('/usr/bin/go', ['build', '-o', 'x', '.'], {
        cwd: dir,
        env: { ...process.env, CGO_ENABLED: '0', GOPROXY: 'off' },
      });
      const head = Buffer.alloc(32 * 1024);
      const fd = openSync(join(dir, 'x'), 'r');
      const n = readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      assert.equal(isGoExecutable(head.subarray(0, n)), true);
      assert.equal(isGoExecutable(Buffer.from(execFileSync('head', ['-c', '32768', '/bin/busybox']))), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('detectRuntime', () => {
  it('takes the launch configuration first, then the command, the executable and the image', () => {
    assert.equal(detectRuntime({ override: 'go', argv: ['python3', 'a.py'] }).runtime, 'go');
    assert.equal(detectRuntime({ argv: ['python3', 'a.py'], image: 'node:20' }).runtime, 'python');
    assert.equal(
      detectRuntime({ argv: ['/app/server'], executableHead: elf(goNote()), image: 'python:3' }).runtime,
      'go',
    );
    assert.equal(detectRuntime({ argv: ['/app/server'], image: 'python:3' }).runtime, 'python');
    const none = detectRuntime({ argv: ['/app/server'], image: 'shop/web:1' });
    assert.equal(none.runtime, undefined);
    assert.match(none.reason, /server.*web/);
  });

  it('refuses a runtime it does not know, naming the ones it does', () => {
    for (const override of ['java', 42, { __proto__: null }, ['go']]) {
      const guess = detectRuntime({ override, argv: ['node', 'x.js'] });
      assert.equal(guess.runtime, undefined);
      assert.match(guess.reason, /node, python, go/);
    }
  });
});
