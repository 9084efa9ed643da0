/**
 * Kubernetes' name and label syntaxes (apimachinery validation): predicates, and
 * what is wrong in the API server's words (used by `validation/`, which the editor
 * and the cluster's admission share).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
/** The name part of a qualified name (label and annotation keys). */
export const QUALIFIED_NAME_MAX_LENGTH = 63;
export const CONFIG_KEY_MAX_LENGTH = 253;

export const isDns1123Label = (v: string): boolean => v.length <= DNS1123_LABEL_MAX_LENGTH && DNS1123_LABEL.test(v);
export const isDns1123Subdomain = (v: string): boolean =>
  v.length <= DNS1123_SUBDOMAIN_MAX_LENGTH && DNS1123_SUBDOMAIN.test(v);
export const isDns1035Label = (v: string): boolean => v.length <= DNS1035_LABEL_MAX_LENGTH && DNS1035_LABEL.test(v);
/** A label value: empty, or at most 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric. */
export const isLabelValue = (v: string): boolean => v.length <= LABEL_VALUE_MAX_LENGTH && LABEL_VALUE.test(v);
/** The name part of a label or annotation key (after the optional `prefix/`). */
export const isQualifiedNamePart = (v: string): boolean =>
  v.length <= QUALIFIED_NAME_MAX_LENGTH && QUALIFIED_NAME_PART.test(v);
/** `.`, `..` or a name starting with `..`: a data key that would leave its folder when mounted. */
const changesDirectory = (v: string): boolean => v === '.' || v.startsWith('..');
/** A ConfigMap or Secret data key. */
export const isConfigKey = (v: string): boolean =>
  v.length <= CONFIG_KEY_MAX_LENGTH && CONFIG_KEY.test(v) && !changesDirectory(v);

/** Returns why `value` is not valid, or `undefined` when it is. */
export type Check = (value: string) => string | undefined;

/**
 * Everything wrong with a ConfigMap or Secret data key, one message per problem,
 * in the API server's words (each becomes its own `Invalid value` cause).
 */
export function configKeyErrors(v: string): string[] {
  const errors: string[] = [];
  if (v.length > CONFIG_KEY_MAX_LENGTH) errors.push(`must be no more than ${CONFIG_KEY_MAX_LENGTH} characters`);
  if (!CONFIG_KEY.test(v))
    errors.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  if (v === '.' || v === '..') errors.push(`must not be '${v}'`);
  else if (v.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/**
 * A name or namespace that becomes one segment of a URL path or a storage key:
 * never `.` or `..`, never containing `/` or `%` (Kubernetes' words; problems joined by ';').
 */
export const pathSegmentName: Check = (v) => {
  if (v === '.' || v === '..') return `may not be '${v}'`;
  const problems = ['/', '%'].filter((c) => v.includes(c)).map((c) => `may not contain '${c}'`);
  return problems.length > 0 ? problems.join(';') : undefined;
};

// The API server's own words for label keys and values (label selectors quote them).

const QUALIFIED_NAME_TEXT =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123_SUBDOMAIN_TEXT =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_TEXT =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/** Everything wrong with a label key (`prefix/name`), one message per problem, as the API server words them. */
/**
 * Names with nothing to report as a qualified name or a label value: 1-63 characters of
 * a-z, 0-9 and `-`, alphanumeric at both ends (a strict subset of both forms below).
 * Most labels are such names; they are answered without splitting or the error list.
 */
const PLAIN_NAME = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
/** The answer for a plain name (shared, never changed by callers). */
const NO_ERRORS = Object.freeze([]) as unknown as string[];

export function qualifiedNameErrors(v: string): string[] {
  if (PLAIN_NAME.test(v)) return NO_ERRORS;
  const parts = v.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${QUALIFIED_NAME_TEXT} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const errors: string[] = [];
  const name = parts.length === 2 ? parts[1]! : v;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errors.push('prefix part must be non-empty');
    else {
      if (prefix.length > DNS1123_SUBDOMAIN_MAX_LENGTH)
        errors.push(`prefix part must be no more than ${DNS1123_SUBDOMAIN_MAX_LENGTH} characters`);
      if (!DNS1123_SUBDOMAIN.test(prefix)) errors.push(`prefix part ${DNS1123_SUBDOMAIN_TEXT}`);
    }
  }
  if (name === '') errors.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX_LENGTH)
    errors.push(`name part must be no more than ${QUALIFIED_NAME_MAX_LENGTH} characters`);
  if (name !== '' && !QUALIFIED_NAME_PART.test(name)) errors.push(`name part ${QUALIFIED_NAME_TEXT}`);
  return errors;
}

/** Everything wrong with a label value, as the API server words it. */
export function labelValueErrors(v: string): string[] {
  if (PLAIN_NAME.test(v)) return NO_ERRORS;
  const errors: string[] = [];
  if (v.length > LABEL_VALUE_MAX_LENGTH) errors.push(`must be no more than ${LABEL_VALUE_MAX_LENGTH} characters`);
  if (!LABEL_VALUE.test(v)) errors.push(LABEL_VALUE_TEXT);
  return errors;
}
