// ESLint flat config: type-aware rules for the TypeScript sources, plus the
// project's import boundaries (the orchestrator never imports `vscode`;
// `dockerode` is imported by exactly one file; the extension client's feature
// folders import down towards `kube/`, never up).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DOCKER_CLIENT = 'client/orchestrator/kubelet/docker-client.ts';
const NO_DOCKERODE = { name: 'dockerode', message: `Only ${DOCKER_CLIENT} talks to Docker; use its DockerClient.` };

/**
 * The feature folders of `client/src` and the other features each may import.
 * `kube/` (the connection to a cluster) imports none; no feature imports the
 * command table (`commands.ts`) or `extension.ts`, which assemble them.
 */
const CLIENT_FEATURES = {
  kube: [],
  run: ['kube'],
  explorer: ['kube', 'run'],
  forwarding: ['kube', 'explorer'],
  debug: ['kube', 'run', 'explorer', 'forwarding'],
  editor: ['kube', 'run', 'debug'],
  charts: ['kube', 'explorer'],
  dev: ['kube', 'run'],
};

/** The extension starts the orchestrator as a process; it knows it only through its protocol. */
const ONLY_ORCHESTRATOR_PROTOCOL = {
  regex: '(^|/)orchestrator/(?!protocol(/|$))',
  message: 'The extension imports only client/orchestrator/protocol/ of the orchestrator (it runs as its own process).',
};

const clientFeatureBoundaries = Object.entries(CLIENT_FEATURES).map(([feature, allowed]) => ({
  files: [`client/src/${feature}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [NO_DOCKERODE],
        patterns: [
          ONLY_ORCHESTRATOR_PROTOCOL,
          {
            group: Object.keys(CLIENT_FEATURES)
              .filter((f) => f !== feature && !allowed.includes(f))
              .map((f) => `../${f}/*`),
            message: `client/src/${feature}/ may import ${allowed.length ? `only ${allowed.join(', ')}` : 'no other feature folder'} (CLIENT_FEATURES in eslint.config.mjs).`,
          },
          {
            group: ['../commands', '../commands.js', '../extension', '../extension.js'],
            message: 'Features contribute command tables; only commands.ts and extension.ts assemble them.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    ignores: [
      '**/out/**',
      'node_modules/**',
      '.cache/**',
      'schemas/**',
      'test-results/**',
      '**/*.vsix',
      'test/fixtures/**',
      // Reached only by a forbidden `import 'vscode'` in the orchestrator (see its tsconfig.json).
      'client/orchestrator/no-vscode/**',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'dockerode', message: `Only ${DOCKER_CLIENT} talks to Docker; use its DockerClient.` }] },
      ],
    },
  },
  {
    files: ['client/orchestrator/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The orchestrator runs as its own Node process: it must not import vscode.' },
            { name: 'dockerode', message: `Only ${DOCKER_CLIENT} talks to Docker; use its DockerClient.` },
          ],
          patterns: [
            {
              group: ['**/client/src/**', '**/extension', '**/ctx', '**/commands'],
              message: 'The orchestrator must not depend on extension code.',
            },
          ],
        },
      ],
    },
  },
  {
    // The extension starts the orchestrator as a process; it knows it only through its protocol.
    files: ['client/src/**/*.ts', 'client/src/**/*.mts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'dockerode', message: `Only ${DOCKER_CLIENT} talks to Docker; use its DockerClient.` }],
          patterns: [ONLY_ORCHESTRATOR_PROTOCOL],
        },
      ],
    },
  },
  // After the rule above: each feature's block repeats its patterns (a later block replaces the rule).
  ...clientFeatureBoundaries,
  {
    files: [DOCKER_CLIENT],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'The orchestrator runs as its own Node process: it must not import vscode.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'require',
          '__dirname',
          'module',
          'Buffer',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
          'URL',
          'fetch',
          'performance',
          'structuredClone',
          'AbortController',
          'TextEncoder',
          'TextDecoder',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
