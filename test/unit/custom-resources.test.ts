import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanguageService } from '../../server/src/language-service.js';
import { yaml } from './support/diagnose.js';

const CRD = yaml(
  'apiVersion: apiextensions.k8s.io/v1',
  'kind: CustomResourceDefinition',
  'metadata: {name: backups.example.com}',
  'spec:',
  '  group: example.com',
  '  scope: Namespaced',
  '  names: {kind: Backup, plural: backups, singular: backup}',
  '  versions:',
  '    - name: v1',
  '      served: true',
  '      storage: true',
  '      schema:',
  '        openAPIV3Schema:',
  '          type: object',
  '          properties:',
  '            spec:',
  '              type: object',
  '              required: [schedule]',
  '              properties:',
  '                schedule: {type: string, pattern: "^[0-9*/, -]+$"}',
  '                retain: {type: integer, minimum: 1}',
  '                extra: {type: object, x-kubernetes-preserve-unknown-fields: true}',
);

const backup = (...spec: string[]): string =>
  yaml(
    'apiVersion: example.com/v1',
    'kind: Backup',
    'metadata: {name: nightly}',
    'spec:',
    ...spec.map((l) => `  ${l}`),
  );

describe('custom resources', () => {
  it('get no diagnostics while their CRD is unknown', () => {
    const service = createLanguageService();
    assert.deepEqual(service.diagnostics(backup('sheduel: nightly')), []);
  });

  it('are validated against the openAPIV3Schema of a CRD in the workspace', () => {
    const service = createLanguageService();
    assert.equal(service.updateCrds('file:///crd.yaml', CRD), true);
    const codes = service.diagnostics(backup('sheduel: "0 2 * * *"', 'retain: 0')).map((d) => [d.code, d.message]);
    assert.deepEqual(codes, [
      ['unknown-field', 'unknown field `sheduel` in Backup.spec; did you mean `schedule`?'],
      ['invalid-value', 'Backup.spec.retain must be at least 1'],
      ['missing-required', 'missing required field `schedule` in Backup.spec'],
    ]);
    assert.deepEqual(service.diagnostics(backup('schedule: "0 2 * * *"', 'extra: {anything: [1, 2]}')), []);
  });

  it('forget the CRD when its file no longer defines it', () => {
    const service = createLanguageService();
    service.updateCrds('file:///crd.yaml', CRD);
    assert.equal(service.updateCrds('file:///crd.yaml', undefined), true);
    assert.deepEqual(service.diagnostics(backup('sheduel: nightly')), []);
  });
});

/** The same CRD under the removed apiextensions.k8s.io/v1beta1: one schema for every version, in spec.validation. */
const CRD_V1BETA1 = yaml(
  'apiVersion: apiextensions.k8s.io/v1beta1',
  'kind: CustomResourceDefinition',
  'metadata: {name: backups.example.com}',
  'spec:',
  '  group: example.com',
  '  scope: Namespaced',
  '  names: {kind: Backup, plural: backups, singular: backup}',
  '  version: v1',
  '  validation:',
  '    openAPIV3Schema:',
  '      type: object',
  '      properties:',
  '        spec:',
  '          type: object',
  '          properties:',
  '            schedule: {type: string}',
  '            retain: {type: integer, minimum: 1}',
);

describe('custom resources of a v1beta1 CRD', () => {
  it('are validated against its spec.validation schema while the CRD gets its removed-API error', () => {
    const service = createLanguageService();
    assert.equal(service.updateCrds('file:///crd.yaml', CRD_V1BETA1), true);
    assert.deepEqual(
      service.diagnostics(backup('retain: 0')).map((d) => d.code),
      ['invalid-value'],
    );
    assert.deepEqual(
      service.diagnostics(CRD_V1BETA1).map((d) => d.code),
      ['removed-api'],
    );
  });

  it('take each version’s own schema (spec.versions[].schema) before the shared one', () => {
    const service = createLanguageService();
    const perVersion = CRD_V1BETA1.replace(
      '  version: v1\n',
      [
        '  versions:',
        '    - name: v1',
        '      served: true',
        '      storage: true',
        '    - name: v2',
        '      served: true',
        '      storage: false',
        '      schema:',
        '        openAPIV3Schema:',
        '          type: object',
        '          properties: {spec: {type: object, properties: {keep: {type: integer}}}}',
        '',
      ].join('\n'),
    );
    service.updateCrds('file:///crd.yaml', perVersion);
    assert.deepEqual(
      service.diagnostics(backup('retain: 0')).map((d) => d.code),
      ['invalid-value'],
    );
    const v2 = backup('keep: many').replace('example.com/v1', 'example.com/v2');
    assert.deepEqual(
      service.diagnostics(v2).map((d) => d.code),
      ['wrong-type'],
    );
  });
});

describe('CRDs in a List (as `kubectl get crd -o yaml` writes them)', () => {
  it('teach their schemas like CRDs in documents of their own', () => {
    const service = createLanguageService();
    const indented = CRD.split('\n')
      .map((l, i) => (l === '' ? l : i === 0 ? `- ${l}` : `  ${l}`))
      .join('\n');
    assert.equal(service.updateCrds('file:///crds.yaml', `apiVersion: v1\nkind: List\nitems:\n${indented}`), true);
    assert.deepEqual(
      service.diagnostics(backup('schedule: "0 2 * * *"', 'retain: 0')).map((d) => d.code),
      ['invalid-value'],
    );
  });
});
