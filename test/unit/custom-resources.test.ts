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
