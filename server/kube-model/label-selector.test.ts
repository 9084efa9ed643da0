import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import {
  formatLabels,
  keysSelect,
  labelSelectorMatcher,
  labelSelectorString,
  mapSelectorMatcher,
  mapSelects,
  matches,
  parseLabelSelector,
  requirementMatches,
  SelectorSyntaxError,
} from './label-selector';

describe('label selectors', () => {
  it('matches a LabelSelector: matchLabels and the four operators; missing selects nothing, empty everything', () => {
    const web = { app: 'web', tier: 'front' };
    assert.equal(labelSelectorMatcher({ matchLabels: { app: 'web' } })(web), true);
    assert.equal(labelSelectorMatcher({ matchLabels: { app: 'db' } })(web), false);
    const expr = (operator: string, values: string[] = []) =>
      labelSelectorMatcher({ matchExpressions: [{ key: 'tier', operator, values }] })(web);
    assert.equal(expr('In', ['front', 'back']), true);
    assert.equal(expr('NotIn', ['front']), false);
    assert.equal(expr('Exists'), true);
    assert.equal(expr('DoesNotExist'), false);
    assert.equal(expr('Gt', ['0']), false, 'Gt and Lt are for node selectors only');
    assert.equal(expr('Bogus'), false);
    assert.equal(labelSelectorMatcher(undefined)(web), false);
    assert.equal(labelSelectorMatcher({})(web), true);
  });

  it('reads labels as their own properties, never from the prototype', () => {
    const m = labelSelectorMatcher({ matchExpressions: [{ key: 'constructor', operator: 'Exists' }] });
    assert.equal(m({ app: 'web' }), false);
    const byPairs = labelSelectorMatcher({ matchLabels: { toString: 'x', app: 'web' } });
    assert.equal(byPairs({ app: 'web' }), false, 'a prototype name in matchLabels is a label like any other');
    assert.equal(byPairs({ app: 'web', toString: 'x' }), true);
  });

  it('asks one matcher of many label maps with the same answers each time', () => {
    const m = labelSelectorMatcher({
      matchLabels: { app: 'web', tier: 'front' },
      matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }],
    });
    const pods = [
      { app: 'web', tier: 'front' },
      { app: 'web', tier: 'front', env: 'prod' },
      { app: 'web' },
      { app: 'web', tier: 'front', env: 'dev' },
      undefined,
    ];
    for (let round = 0; round < 3; round++) assert.deepEqual(pods.map(m), [true, false, false, true, false]);
  });

  it('matches map selectors: every pair; an empty Service selector selects nothing', () => {
    assert.equal(mapSelects({}, { a: 'b' }), true);
    assert.equal(mapSelectorMatcher({})({ a: 'b' }), false);
    assert.equal(mapSelectorMatcher({ a: 'b' })({ a: 'b', c: 'd' }), true);
    assert.equal(mapSelectorMatcher({ a: 'b', c: 'x' })({ a: 'b', c: 'd' }), false);
    assert.equal(formatLabels({ app: 'web', tier: 'api' }), 'app=web, tier=api');
  });

  it('answers as mapSelects given the selector keys once (own labels only, odd keys included)', () => {
    const selectors: Record<string, string>[] = [
      {},
      { a: 'b' },
      { a: 'b', c: 'd' },
      { ['__proto__']: 'x' },
      { constructor: 'y', '': '' },
      Object.assign(Object.create(null) as Record<string, string>, { a: 'b' }),
    ];
    const labelSets: (Record<string, string> | undefined)[] = [
      undefined,
      {},
      { a: 'b' },
      { a: 'b', c: 'd', e: 'f' },
      { a: 'c' },
      { '': '', constructor: 'y' },
    ];
    for (const selector of selectors)
      for (const labels of labelSets)
        assert.equal(keysSelect(selector, Object.keys(selector), labels), mapSelects(selector, labels));
  });

  it('matches node selector requirements, with Gt and Lt as integers', () => {
    assert.equal(requirementMatches('Gt', ['4'], '8'), true);
    assert.equal(requirementMatches('Lt', ['4'], '8'), false);
    assert.equal(requirementMatches('Gt', ['4'], undefined), false);
  });

  it('parses and matches the string form', () => {
    const labels: Record<string, string> = { app: 'web', tier: 'front' };
    const run = (text: string) => matches(parseLabelSelector(text), (k) => labels[k]);
    assert.equal(run('app=web,tier!=back'), true);
    assert.equal(run('app==web'), true);
    assert.equal(run('tier in (front, back),app notin (db)'), true);
    assert.equal(run('tier,!zone'), true);
    assert.equal(run('zone'), false);
    assert.deepEqual(parseLabelSelector(''), []);
    assert.throws(() => parseLabelSelector('a b c'), SelectorSyntaxError);
  });

  it('writes a LabelSelector in the string form, which selects what the selector does', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'zone', operator: 'Exists' },
        { key: 'x', operator: 'Bogus' },
      ],
    };
    const text = labelSelectorString(selector);
    assert.equal(text, 'app=web,tier in (front,back),!canary,zone');
    for (const labels of [
      { app: 'web', tier: 'front', zone: 'a' },
      { app: 'web', tier: 'front', zone: 'a', canary: 'y' },
      { app: 'web', tier: 'side', zone: 'a' },
    ]) {
      const byString = matches(parseLabelSelector(text), (k) => (labels as Record<string, string>)[k]);
      assert.equal(
        byString,
        labelSelectorMatcher({ ...selector, matchExpressions: selector.matchExpressions.slice(0, 3) })(labels),
      );
    }
    assert.equal(labelSelectorString(undefined), '');
  });
});
