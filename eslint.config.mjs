// ESLint flat config: type-aware rules for the TypeScript sources, plus the
// project's import boundaries (the orchestrator never imports `vscode`;
// `dockerode` is imported by exactly one file).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DOCKER_CLIENT = 'client/orchestrator/kubelet/docker-client.ts';

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
              group: ['**/extension', '**/ctx', '**/commands', '**/views/**'],
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
          patterns: [
            {
              regex: '(^|/)orchestrator/(?!protocol(/|$))',
              message:
                'The extension imports only client/orchestrator/protocol/ of the orchestrator (it runs as its own process).',
            },
          ],
        },
      ],
    },
  },
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
