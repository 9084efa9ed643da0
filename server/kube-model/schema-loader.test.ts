import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { findSchemasDir, loadSchemas, loadSchemasIfPresent, schemaVersions } from './schema-loader';

describe('schema loader', () => {
  it('lists the versions schemas/ holds, with the default first among them', () => {
    const { default: chosen, versions } = schemaVersions();
    assert.ok(versions.includes(chosen));
    assert.ok(versions.includes('1.34') && versions.includes('1.36'));
  });

  it('loads each version once, and the default for an unknown or unset one', () => {
    const v136 = loadSchemas('1.36');
    assert.equal(v136.version, '1.36');
    assert.equal(loadSchemas('1.36'), v136, 'cached');
    assert.equal(loadSchemas().version, schemaVersions().default);
    assert.equal(loadSchemas('9.99').version, schemaVersions().default);
    assert.ok(v136.schemaFor('apps/v1', 'Deployment'));
    assert.deepEqual(v136.apiVersionsOf('Deployment'), ['apps/v1']);
  });

  it('tells the versions apart: Pod spec.schedulingGroup is new in 1.36', () => {
    const has = (version: string) => {
      const s = loadSchemas(version);
      const spec = s.resolver.resolve(s.resolver.resolve(s.schemaFor('v1', 'Pod') ?? {}).properties?.spec ?? {});
      return Object.prototype.hasOwnProperty.call(spec.properties ?? {}, 'schedulingGroup');
    };
    assert.equal(has('1.34'), false);
    assert.equal(has('1.36'), true);
  });

  it('finds schemas/ above this file, and answers undefined where there are none', () => {
    assert.match(findSchemasDir(), /schemas$/);
    assert.equal(loadSchemasIfPresent(undefined, '/'), undefined);
  });
});
