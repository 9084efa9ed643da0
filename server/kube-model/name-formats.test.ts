import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  configKey,
  configKeyErrors,
  pathSegmentName,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  isConfigKey,
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isLabelValue,
  isQualifiedNamePart,
  labelValue,
  portName,
  qualifiedName,
} from './name-formats';

describe('name formats', () => {
  it('agree between the predicates and the checks that say why', () => {
    const cases: [(v: string) => boolean, (v: string) => string | undefined, string[]][] = [
      [isDns1123Label, dns1123Label, ['web', 'a-1', 'Web', '-a', 'a.b', 'a'.repeat(63), 'a'.repeat(64)]],
      [isDns1123Subdomain, dns1123Subdomain, ['a.b-c', 'a..b', 'A', `${'a'.repeat(250)}.bc`, 'a'.repeat(254)]],
      [isDns1035Label, dns1035Label, ['web', '1web', 'web-', 'a'.repeat(64)]],
      [isLabelValue, labelValue, ['', 'v1.2_x', '-v', 'a'.repeat(64)]],
      [isConfigKey, configKey, ['a.b_c-d', 'a/b', '', 'k'.repeat(254), '.', '..', '..a', '.a', 'a..']],
    ];
    for (const [valid, check, values] of cases) {
      for (const v of values) assert.equal(valid(v), check(v) === undefined, `${check.name} ${v.slice(0, 20)}`);
    }
  });

  it('checks label keys: an optional DNS prefix, then a name of at most 63 characters', () => {
    assert.equal(qualifiedName('app.kubernetes.io/name'), undefined);
    assert.equal(qualifiedName('a/b/c'), "may contain at most one '/'");
    assert.equal(qualifiedName('/x'), "has an empty prefix before '/'");
    assert.equal(qualifiedName(`x/${'n'.repeat(64)}`), 'has a name longer than 63 characters');
    assert.equal(isQualifiedNamePart(''), false);
    assert.equal(isQualifiedNamePart('a_b.c'), true);
  });

  it('checks port names', () => {
    assert.equal(portName('http'), undefined);
    assert.equal(portName('80'), 'must contain at least one letter');
    assert.equal(portName('a--b'), "must not contain '--'");
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
    assert.equal(configKey('..a'), "must not start with '..'");
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
