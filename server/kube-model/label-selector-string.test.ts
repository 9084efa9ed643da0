import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseLabelSelector, SelectorSyntaxError } from './label-selector-string';

const fails = (text: string): string => {
  try {
    parseLabelSelector(text);
  } catch (error) {
    assert.ok(error instanceof SelectorSyntaxError);
    return error.message;
  }
  assert.fail(`${text} parsed`);
};

describe('the string form of a label selector', () => {
  it('reads every operator, spaces and keywords as keys and values', () => {
    assert.deepEqual(parseLabelSelector(' a = b , c!=d,e==f , g in ( x , y ),h notin (z),i,!j, k>1,l<2,in=notin'), [
      { key: 'a', op: '=', values: ['b'] },
      { key: 'c', op: '!=', values: ['d'] },
      { key: 'e', op: '=', values: ['f'] },
      { key: 'g', op: 'in', values: ['x', 'y'] },
      { key: 'h', op: 'notin', values: ['z'] },
      { key: 'i', op: 'exists', values: [] },
      { key: 'j', op: '!', values: [] },
      { key: 'k', op: 'gt', values: ['1'] },
      { key: 'l', op: 'lt', values: ['2'] },
      { key: 'in', op: '=', values: ['notin'] },
    ]);
    assert.deepEqual(parseLabelSelector('a='), [{ key: 'a', op: '=', values: [''] }]);
    assert.deepEqual(parseLabelSelector(''), []);
  });

  it('takes () as the set holding the empty string, and empty places between commas as empty strings', () => {
    assert.deepEqual(parseLabelSelector('a in ()'), [{ key: 'a', op: 'in', values: [''] }]);
    assert.deepEqual(parseLabelSelector('z notin ()'), [{ key: 'z', op: 'notin', values: [''] }]);
    assert.deepEqual(parseLabelSelector('a in (,b)'), [{ key: 'a', op: 'in', values: ['', 'b'] }]);
    assert.deepEqual(parseLabelSelector('a in (b,)'), [{ key: 'a', op: 'in', values: ['', 'b'] }]);
    assert.deepEqual(parseLabelSelector('a in (b,b)'), [{ key: 'a', op: 'in', values: ['b'] }]);
  });

  it('says what it found and what it expected, as the API server does', () => {
    assert.equal(fails('a==b==c'), "found '==', expected: ',' or 'end of string'");
    assert.equal(fails('a=b,'), "found '', expected: identifier after ','");
    assert.equal(fails('a=b,,c'), "found ',', expected: identifier after ','");
    assert.equal(fails(',a'), "found ',', expected: !, identifier, or 'end of string'");
    assert.equal(fails('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(fails('a in b'), "unable to parse requirement: found 'b' expected: '('");
    assert.equal(fails('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
    assert.equal(fails('a=('), "unable to parse requirement: found '(', expected: identifier");
    assert.equal(fails('!'), "unable to parse requirement: found '', expected: identifier");
  });

  it('checks keys and values as label keys and values', () => {
    assert.match(
      fails('app:web'),
      /^unable to parse requirement: <nil>: Invalid value: "app:web": name part must consist of alphanumeric characters/,
    );
    assert.match(
      fails('a/b/c=d'),
      /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must/,
    );
    assert.equal(fails('app=web!'), "found '!', expected: ',' or 'end of string'");
    assert.match(
      fails('app=we$b'),
      /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "we\$b": a valid label must be an empty string/,
    );
    assert.equal(
      fails('n>x'),
      "unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer",
    );
    assert.match(fails(`a=${'v'.repeat(64)}`), /: must be no more than 63 characters$/);
  });
});
