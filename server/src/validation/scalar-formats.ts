/** Syntax of the scalar formats Kubernetes schemas use, as the API server parses them (quantities: kube-model/quantity.ts). */

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 (line breaks ignored), as Secret `data` values must be. */
export function isBase64(value: string): boolean {
  const compact = value.replace(/[\r\n]/g, '');
  return compact.length % 4 === 0 && BASE64.test(compact);
}

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
