/** A patch that cannot be applied: its message says why; `op` is the index of the failing JSON patch operation. */
export class PatchError extends Error {
  constructor(
    message: string,
    readonly op?: number,
  ) {
    super(message);
    this.name = 'PatchError';
  }
}
