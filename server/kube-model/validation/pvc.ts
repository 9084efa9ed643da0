/** PersistentVolumeClaims (v1): access modes, the storage request, the volume mode; the spec is fixed once created. */
import { parseQuantity } from '../quantity';
import type { ValidationContext } from './context';
import { type FieldError, forbidden, invalid, notSupported, required } from './field-error';
import { jsonEqual, objectAt, scalarText, type JsonObject } from './json';

export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

export function validatePersistentVolumeClaim(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const spec = objectAt(object, 'spec');
  const modes = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) out.push(required(['spec', 'accessModes'], 'at least 1 access mode is required'));
  modes.forEach((mode, i) => {
    if (!(typeof mode === 'string' && ACCESS_MODES.includes(mode)))
      out.push(notSupported(['spec', 'accessModes', i], mode, ACCESS_MODES));
  });
  if (modes.includes('ReadWriteOncePod') && modes.length > 1)
    out.push(forbidden(['spec', 'accessModes'], 'may not use ReadWriteOncePod with other access modes'));
  const storage = objectAt(objectAt(spec, 'resources'), 'requests').storage;
  const storagePath = ['spec', 'resources', { key: 'storage' }];
  if (storage === undefined) out.push(required(storagePath));
  else if (parseQuantity(storage) <= 0)
    out.push(invalid(storagePath, scalarText(storage), 'must be greater than zero'));
  const mode = spec.volumeMode;
  if (mode !== undefined && mode !== 'Block' && mode !== 'Filesystem')
    out.push(notSupported(['spec', 'volumeMode'], mode, ['Block', 'Filesystem']));
  if (context.operation !== 'UPDATE' || !context.old) return;
  // Only the storage request (and the volume attributes class) may change; the controller fills in volumeName.
  const comparable = (s: JsonObject, old: JsonObject): JsonObject => {
    const { resources: _r, volumeAttributesClassName: _v, ...rest } = s;
    return old.volumeName === undefined ? { ...rest, volumeName: undefined } : rest;
  };
  const old = objectAt(context.old, 'spec');
  if (!jsonEqual(JSON.parse(JSON.stringify(comparable(spec, old))), JSON.parse(JSON.stringify(comparable(old, old)))))
    out.push(
      forbidden(
        ['spec'],
        'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
        'immutable',
      ),
    );
}
