/**
 * One frozen copy of the parts many stored objects repeat word for word: the
 * `fieldsV1` of every managedFields entry (10,000 pods of one template, or
 * 40,000 Events, have a handful of distinct ones) and a pod's containers,
 * tolerations and conditions. Stored objects are frozen, so a part equal in JSON (the same
 * text, key order included) can be the same object in all of them: what a
 * reader sees, and what is written to disk, is unchanged. The table is bounded:
 * when full it starts again (objects keep the copies they share).
 */
import { jsonKey } from './json-bytes';
import { deepFreeze, isObject, type KubeObject } from './object';

const LIMIT = 1024;

/**
 * Where, below the object's root, repeated parts sit (besides managedFields). A pod's conditions
 * differ only by their times, to the second: the pods that start within one second have equal ones.
 */
const PARTS: readonly (readonly string[])[] = [
  ['spec', 'containers'],
  ['spec', 'tolerations'],
  ['status', 'conditions'],
];

export class SharedValues {
  private readonly table = new Map<string, unknown>();

  /**
   * `value`, or a frozen equal one seen before (then `value` itself is frozen and remembered). A frozen
   * value is kept as it is: it is shared already (a stored object's part, a cache's answer such as
   * the `fieldsV1` admission gives every pod of a template), and its text need not be made again.
   */
  share<T>(value: T): T {
    if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
    const key = jsonKey(value);
    const known = this.table.get(key);
    if (known !== undefined) return known as T;
    if (this.table.size >= LIMIT) this.table.clear();
    this.table.set(key, deepFreeze(value));
    return value;
  }

  /** Replaces the repeated parts of a mutable object about to be stored by their shared copies. */
  shareParts(obj: KubeObject): void {
    const entries = obj.metadata.managedFields;
    if (Array.isArray(entries) && !Object.isFrozen(entries)) {
      for (const entry of entries) {
        if (isObject(entry) && !Object.isFrozen(entry) && isObject(entry.fieldsV1))
          entry.fieldsV1 = this.share(entry.fieldsV1);
      }
    }
    for (const [outer, inner] of PARTS) {
      const holder = obj[outer!];
      if (isObject(holder) && !Object.isFrozen(holder) && Object.prototype.hasOwnProperty.call(holder, inner!)) {
        const part = holder[inner!];
        if (typeof part === 'object' && part !== null && !Object.isFrozen(part)) holder[inner!] = this.share(part);
      }
    }
  }
}
