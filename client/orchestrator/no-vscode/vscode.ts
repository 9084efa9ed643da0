/**
 * What `import ... from 'vscode'` resolves to in the orchestrator (see `paths` in
 * its tsconfig.json): the orchestrator runs as its own Node process and must not
 * depend on VS Code, so reaching this file fails the typecheck with the message below.
 */
type Forbidden<T extends 'the orchestrator runs as its own Node process: it must not import vscode'> = T;
export type ImportOfVscode = Forbidden<'vscode'>;
