/**
 * Where each instruction of a Dockerfile starts, so that the engine's
 * "Step 3/5" (the third instruction) and its errors point at a line. It reads
 * the layout as Docker's parser does: parser directives at the top (`escape`),
 * comment and blank lines, and lines continued with the escape character.
 */
export interface DockerfileStep {
  /** 1-based line where the instruction begins. */
  line: number;
  /** The instruction's keyword, upper case (`RUN`). */
  keyword: string;
}

export function dockerfileSteps(text: string): DockerfileStep[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: `# key=value` lines before anything else.
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(\S+)\s*$/.exec(lines[i]!);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const steps: DockerfileStep[] = [];
  let continuing = false;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue; // comments, also inside a continued instruction
    if (!continuing) {
      if (trimmed === '') continue;
      const keyword = /^[A-Za-z]+/.exec(trimmed)?.[0];
      if (keyword) steps.push({ line: i + 1, keyword: keyword.toUpperCase() });
    }
    continuing = trimmed.endsWith(escape) && trimmed !== '';
  }
  return steps;
}
