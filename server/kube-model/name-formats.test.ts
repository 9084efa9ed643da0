import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  configKeyErrors,
  pathSegmentName,
  isConfigKey,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  isQualifiedNamePart,
  labelValueErrors,
  qualifiedNameErrors,
} from './name-formats';

describe('name formats', () => {
  it('accept and refuse names by their format and length', () => {
    const cases: [(v: string) => boolean, string[], string[]][] = [
      [isDns1123Label, ['web', 'a-1', 'a'.repeat(63)], ['Web', '-a', 'a.b', 'a'.repeat(64)]],
      [isDns1123Subdomain, ['a.b-c', `${'a'.repeat(250)}.bc`], ['a..b', 'A', 'a'.repeat(254)]],
      [isDns1035Label, ['web'], ['1web', 'web-', 'a'.repeat(64)]],
      [isLabelValue, ['', 'v1.2_x'], ['-v', 'a'.repeat(64)]],
      [isConfigKey, ['a.b_c-d', '.a', 'a..'], ['a/b', '', 'k'.repeat(254), '.', '..', '..a']],
    ];
    for (const [valid, good, bad] of cases) {
      for (const v of good) assert.equal(valid(v), true, `${valid.name} ${v.slice(0, 20)}`);
      for (const v of bad) assert.equal(valid(v), false, `${valid.name} ${v.slice(0, 20)}`);
    }
  });

  it('say what is wrong with label keys and values in Kubernetes words', () => {
    assert.deepEqual(qualifiedNameErrors('app.kubernetes.io/name'), []);
    assert.match(qualifiedNameErrors('a/b/c')[0] ?? '', /^a qualified name must consist of/);
    assert.deepEqual(qualifiedNameErrors('/x'), ['prefix part must be non-empty']);
    assert.deepEqual(qualifiedNameErrors(`x/${'n'.repeat(64)}`), ['name part must be no more than 63 characters']);
    assert.deepEqual(labelValueErrors('v1'), []);
    assert.match(labelValueErrors('-v')[0] ?? '', /^a valid label must be an empty string or consist of/);
    assert.equal(isQualifiedNamePart(''), false);
    assert.equal(isQualifiedNamePart('a_b.c'), true);
  });
});

describe('config keys', () => {
  it('refuses ., .., a leading .., more than 253 characters and characters outside [-._a-zA-Z0-9]', () => {
    assert.deepEqual(configKeyErrors('.env'), []);
    assert.deepEqual(configKeyErrors('a..b'), []);
    assert.deepEqual(configKeyErrors('k'.repeat(253)), []);
    assert.deepEqual(configKeyErrors('.'), ["must not be '.'"]);
    assert.deepEqual(configKeyErrors('..'), ["must not be '..'"]);
    assert.deepEqual(configKeyErrors('..data'), ["must not start with '..'"]);
    assert.deepEqual(configKeyErrors('k'.repeat(254)), ['must be no more than 253 characters']);
    const [regex] = configKeyErrors('a/b');
    assert.match(
      regex ?? '',
      /^a valid config key must consist of alphanumeric characters, '-', '_' or '\.' \(e\.g\. 'key\.name',/,
    );
    assert.equal(configKeyErrors('').length, 1);
    assert.equal(configKeyErrors(`..${'/'.repeat(252)}`).length, 3);
  });

  it('label keys and values agree with their predicates, lowercase names of every length and edge included', () => {
    const samples = ['', '-', 'a', '0', 'a-', '-a', 'a-b', 'a--b', 'A', 'a_b', 'a.b', 'a/b', '/a', 'a/', 'a\n', 'é'];
    for (const n of [1, 2, 62, 63, 64, 65]) {
      samples.push(
        'a'.repeat(n),
        `a${'-'.repeat(Math.max(0, n - 2))}b`,
        `${'9'.repeat(n - 1)}-`,
        'x'.repeat(n).toUpperCase(),
      );
    }
    for (const v of samples) {
      const slash = v.indexOf('/');
      const name = slash < 0 ? v : v.slice(slash + 1);
      const keyValid = !v.slice(slash + 1).includes('/') && (slash < 0 || isDns1123Subdomain(v.slice(0, slash)));
      assert.equal(
        qualifiedNameErrors(v).length === 0,
        keyValid && isQualifiedNamePart(name),
        `key ${JSON.stringify(v)}`,
      );
      assert.equal(labelValueErrors(v).length === 0, isLabelValue(v), `value ${JSON.stringify(v)}`);
    }
  });
});

describe('path segment names', () => {
  it('refuses . and .. and names with / or %', () => {
    assert.equal(pathSegmentName('a.b'), undefined);
    assert.equal(pathSegmentName('..'), "may not be '..'");
    assert.equal(pathSegmentName('.'), "may not be '.'");
    assert.equal(pathSegmentName('a/%'), "may not contain '/';may not contain '%'");
  });
});
