// Generates the JSON Schemas the language server validates manifests against,
// from the Kubernetes API models that ship in @kubernetes/client-node, plus the
// facts in scripts/schemas/kubernetes-facts.mjs. See docs/schemas.md.
//
//   node scripts/generate-schemas.mjs             regenerate
//   node scripts/generate-schemas.mjs --if-stale  regenerate only when an input changed
//                                                 (the build calls generateSchemasIfStale())
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FACT_KEYS } from './schemas/apply-facts.mjs';
import { buildDefinitions } from './schemas/build-definitions.mjs';
import { kubernetesReleaseOf } from './schemas/kubernetes-release.mjs';
import { inputsHash, isFresh } from './schemas/schemas-stamp.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT = join(ROOT, 'schemas');
const STAMP = join(OUT, '.stamp');

/** One entry per Kubernetes minor version shipped; the first is the default. */
const SOURCES = [
  { minor: '1.34', packageDir: join(ROOT, 'node_modules', '@kubernetes', 'client-node') },
  { minor: '1.30', packageDir: join(ROOT, 'node_modules', 'k8s-models-1.30') },
  { minor: '1.32', packageDir: join(ROOT, 'node_modules', 'k8s-models-1.32') },
  { minor: '1.33', packageDir: join(ROOT, 'node_modules', 'k8s-models-1.33') },
  { minor: '1.36', packageDir: join(ROOT, 'node_modules', 'k8s-models-1.36') },
];

const definitionsFile = (minor) => `v${minor}/definitions.json`;
const outputs = () => [join(OUT, 'index.json'), ...SOURCES.map(({ minor }) => join(OUT, definitionsFile(minor)))];
const currentHash = () =>
  inputsHash(
    ROOT,
    SOURCES.map((source) => source.packageDir),
  );

export async function generateSchemas({ quiet = false } = {}) {
  const started = Date.now();
  const index = { default: SOURCES[0].minor, versions: {} };
  const usedFacts = new Set();
  const summary = [];
  for (const { minor, packageDir } of SOURCES) {
    const release = kubernetesReleaseOf(packageDir);
    if (release.minor !== minor) throw new Error(`${packageDir} holds Kubernetes ${release.version}, not ${minor}`);
    const { definitions, kinds, warnings } = await buildDefinitions(packageDir, minor, usedFacts);
    for (const warning of warnings) console.warn(`schemas ${minor}: ${warning}`);
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    index.versions[minor] = {
      kubernetesVersion: release.version,
      source: `${pkg.name}@${pkg.version}`,
      file: definitionsFile(minor),
      kinds,
    };
    const bytes = writeJson(definitionsFile(minor), {
      $schema: 'http://json-schema.org/draft-07/schema#',
      description: `Kubernetes ${release.version} API types, generated from ${pkg.name}@${pkg.version}`,
      definitions,
    });
    summary.push(
      `${minor}: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions, ${(bytes / 1024).toFixed(0)} KiB`,
    );
  }
  const unused = FACT_KEYS.filter((key) => !usedFacts.has(key));
  if (unused.length > 0) console.warn(`schemas: facts that match no model: ${unused.join(', ')}`);
  writeJson('index.json', index, 2);
  removeOtherVersions();
  writeFileSync(STAMP, `${currentHash()}\n`);
  if (!quiet) console.log(`schemas: ${summary.join('; ')} (${Date.now() - started} ms)`);
}

/** Regenerates only when the generator or a model package changed since the last run. */
export async function generateSchemasIfStale() {
  if (!isFresh(STAMP, currentHash(), outputs())) await generateSchemas();
}

/** Writes through a temporary file, so a reader never sees half a file. Returns the size written. */
function writeJson(relativePath, value, indent) {
  const file = join(OUT, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  const text = `${JSON.stringify(value, null, indent)}\n`;
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return Buffer.byteLength(text);
}

/** Drops the folders of versions no longer generated. */
function removeOtherVersions() {
  const wanted = new Set(SOURCES.map(({ minor }) => `v${minor}`));
  for (const entry of readdirSync(OUT, { withFileTypes: true })) {
    if (entry.isDirectory() && /^v\d+\.\d+$/.test(entry.name) && !wanted.has(entry.name)) {
      rmSync(join(OUT, entry.name), { recursive: true });
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale')) await generateSchemasIfStale();
  else await generateSchemas();
}
