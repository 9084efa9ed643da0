/**
 * `validate` names each file twice (its display name in reports, its URL in
 * the workspace index) and works both out once per folder: the names must be
 * those `relative` and `pathToFileURL` give for the whole path, whatever the
 * working folder, the way the path was written and the characters in it.
 */
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FileNames } from './file-names.js';

const FOLDERS = [
  'many',
  'many/0/apps',
  './many',
  'many/',
  'a//b',
  '.',
  '..',
  '../..',
  '../x/../y',
  '/',
  '/tmp',
  '/tmp/work/sub',
  'with space',
  'per%cent/hash#/question?',
  'ünïcödé/日本',
  'back\\slash',
  'tab\there',
  'new\nline',
];
const NAMES = [
  'a.yaml',
  'deploy-1.yml',
  'x_y.YAML',
  '.hidden.yaml',
  'two words.yaml',
  'p%20.yaml',
  'h#.yaml',
  'q?.yaml',
  'é.yaml',
  'b\\s.yaml',
  '..',
  '.',
  '...',
];
const CWDS = ['/', '/tmp', '/tmp/work', '/tmp/work/sub', '/home/u/with space'];

describe('FileNames', () => {
  it('gives relative()’s display name and pathToFileURL()’s URL for every path, in walk order and out of it', () => {
    for (const cwd of CWDS) {
      const names = new FileNames(cwd);
      const paths: string[] = [];
      for (const folder of FOLDERS) for (const name of NAMES) paths.push(`${folder}/${name}`);
      paths.push('/a.yaml', 'a.yaml', 'x', '/tmp/work', '/tmp/work/sub/');
      // In walk order (one folder's files together), then shuffled so the folder changes at each file.
      for (const order of [paths, paths.map((_, i) => paths[(i * 7919) % paths.length] ?? '')]) {
        for (const path of order) {
          assert.equal(
            names.display(path),
            relative(cwd, path) || path,
            `display of ${JSON.stringify(path)} in ${cwd}`,
          );
          if (path.startsWith('/') || cwd === process.cwd())
            assert.equal(names.url(path), pathToFileURL(path).href, `URL of ${JSON.stringify(path)}`);
        }
      }
    }
  });

  it('gives pathToFileURL()’s URL of relative paths (resolved against the process’s folder)', () => {
    const names = new FileNames(process.cwd());
    for (const folder of FOLDERS)
      for (const name of NAMES) {
        const path = `${folder}/${name}`;
        assert.equal(names.url(path), pathToFileURL(path).href, JSON.stringify(path));
      }
  });
});
