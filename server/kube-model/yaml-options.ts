import type { ParseOptions, DocumentOptions, SchemaOptions, Tags } from 'yaml';

/**
 * How manifests (and the API server's YAML request bodies) are read: YAML 1.1 scalars as kubectl's YAML-to-JSON
 * conversion reads them (`yes`/`on` are booleans, `0755` is octal), without
 * the 1.1 features it never applies (sexagesimal numbers, timestamps stay
 * strings). Duplicate keys are errors, as they are for the API server.
 */
export const MANIFEST_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  customTags: (tags: Tags) =>
    tags.filter((tag) => {
      if (typeof tag !== 'object') return true;
      return tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp';
    }),
  uniqueKeys: true,
  prettyErrors: false,
  keepSourceTokens: false,
};
