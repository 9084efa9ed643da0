// Gives yaml-language-server the same schemas we use, as local files: one
// schema whose `oneOf` picks a kind by apiVersion and kind, the shape of the
// "all kinds" Kubernetes schema it downloads when online.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeYlsSchema(dir, version = '1.34') {
  const schemasDir = join(process.cwd(), 'schemas');
  const index = JSON.parse(readFileSync(join(schemasDir, 'index.json'), 'utf8'));
  const entry = index.versions[version];
  const { definitions } = JSON.parse(readFileSync(join(schemasDir, entry.file), 'utf8'));
  const oneOf = [];
  for (const [gvk, name] of Object.entries(entry.kinds)) {
    const slash = gvk.lastIndexOf('/');
    const apiVersion = gvk.slice(0, slash);
    const kind = gvk.slice(slash + 1);
    if (kind.endsWith('List')) continue;
    oneOf.push({
      allOf: [{ $ref: `#/definitions/${name}` }],
      properties: { apiVersion: { enum: [apiVersion] }, kind: { enum: [kind] } },
      required: ['apiVersion', 'kind'],
    });
  }
  const file = join(dir, `kubernetes-${version}-all.json`);
  writeFileSync(file, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', definitions, oneOf }));
  return file;
}
