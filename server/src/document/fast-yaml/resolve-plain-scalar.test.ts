/**
 * `resolvePlainScalar` gives every plain scalar the value, format and fraction digits the `yaml` package
 * gives it under the manifest options: the words and numbers of every YAML 1.1 pattern in their spellings,
 * scalars one character away from them, and random strings over the characters those patterns are made of.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isScalar, parseDocument } from 'yaml';
import { MANIFEST_YAML_OPTIONS } from '../yaml-options.js';
import { seeded } from '../../test-support/seeded-random.js';
import { resolvePlainScalar } from './resolve-plain-scalar.js';

/** What the package makes of `source` as a mapping's plain value, or undefined when it is not one. */
function theirs(source: string): { value: unknown; format: unknown; minFractionDigits: unknown } | undefined {
  const doc = parseDocument(`k: ${source}\n`, MANIFEST_YAML_OPTIONS);
  if (doc.errors.length > 0) return undefined;
  const node = doc.get('k', true);
  if (!isScalar(node) || node.type !== 'PLAIN' || node.source !== source) return undefined;
  return { value: node.value, format: node.format, minFractionDigits: node.minFractionDigits };
}

function agrees(source: string): boolean {
  const expected = theirs(source);
  if (expected === undefined) return false;
  const node = resolvePlainScalar(source);
  const got = { value: node.value, format: node.format, minFractionDigits: node.minFractionDigits };
  assert.deepEqual(got, expected, JSON.stringify(source));
  assert.equal(node.source, source);
  return true;
}

const WORDS = ['~', 'null', 'Null', 'NULL', 'nULL', 'y', 'Y', 'n', 'N', 'yes', 'Yes', 'YES', 'yEs', 'no', 'No', 'NO'];
WORDS.push('true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF');
const NUMBERS = ['0', '7', '-0', '+1', '0b101', '-0b1_0', '0b2', '07', '0_7', '08', '-017', '123', '1_000', '0x1F'];
NUMBERS.push('-0xff_ff', '0xg', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', '-.nan', '1e3', '1E-3', '-1.5e+10');
NUMBERS.push('e3', 'E3', '.e3', '1.', '.5', '-.5', '1.50', '1.0_0', '1_0.0_', '.', '-', '+', '_1', '1__', '.1.');
const MANIFEST = ['name', 'namespace', 'template', 'type', 'enabled', 'off-peak', 'nginx', 'Deployment', 'apps/v1'];
MANIFEST.push('100m', '128Mi', '1Gi', '0.5', '8080', '/healthz', 'registry.example/web:1.0.1', 'IfNotPresent');
MANIFEST.push('é', 'ñull', '日本', '1e', 'yes!', 'true1', 'on-call', '-x', '+x', '.x', '~x', 'x~', '0xf.', '1.0f');

describe('resolvePlainScalar against the yaml package', () => {
  it('resolves every pattern in its spellings, and what is near them', () => {
    let compared = 0;
    for (const source of [...WORDS, ...NUMBERS, ...MANIFEST]) {
      if (agrees(source)) compared++;
      // One character more at either end, or one less: the patterns are anchored at both.
      for (const near of [`${source}x`, `x${source}`, `${source}0`, `0${source}`, source.slice(1), source.slice(0, -1)])
        if (near.length > 0 && agrees(near)) compared++;
    }
    assert.ok(compared > 300, `only ${compared} scalars compared`);
  });

  it('resolves random strings of the characters the patterns are made of', () => {
    const alphabet = '0123456789+-._~xXbBoOeEiInNfFaAlLuUyYsStTrR';
    const random = seeded(20261206);
    let compared = 0;
    for (let round = 0; round < 20_000; round++) {
      const length = 1 + Math.floor(random() * 6);
      let source = '';
      for (let i = 0; i < length; i++) source += alphabet[Math.floor(random() * alphabet.length)];
      if (agrees(source)) compared++;
    }
    assert.ok(compared > 15_000, `only ${compared} scalars compared`);
  });
});
