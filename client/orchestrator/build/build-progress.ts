/**
 * Turns the engine's build messages (`{"stream": "Step 2/4 : RUN …"}`,
 * `{"error": …}`) into BuildEvents: steps with their Dockerfile line, cache
 * hits, output lines, and an error placed on the line of the step that failed
 * or the line a parse error names.
 */
import type { BuildEvent } from '../protocol/build-events';
import type { DockerfileStep } from './dockerfile-steps';

/** One message of the engine's build stream (the fields we read). */
export interface EngineBuildMessage {
  stream?: string;
  error?: string;
  errorDetail?: { message?: string };
  status?: string;
}

const STEP = /^Step (\d+)\/(\d+) : (.*)$/;
const PARSE_ERROR = /dockerfile parse error (?:on )?line (\d+)/i;

export class BuildProgress {
  private partial = '';
  private step = 0;
  private lastError: string | undefined;

  constructor(
    private readonly image: string,
    private readonly dockerfile: string,
    private readonly steps: readonly DockerfileStep[],
    private readonly emit: (event: BuildEvent) => void,
  ) {}

  /** The line of the current step, when known. */
  private stepLine(): number | undefined {
    return this.step > 0 ? this.steps[this.step - 1]?.line : undefined;
  }

  message(m: EngineBuildMessage): void {
    if (typeof m.stream === 'string') {
      this.partial += m.stream;
      const lines = this.partial.split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) this.line(line);
      // The engine sends "Step n/m : …" without its newline first: take it at once.
      if (STEP.test(this.partial)) {
        this.line(this.partial);
        this.partial = '';
      }
    } else if (typeof m.status === 'string' && m.status !== '') {
      this.emit({ type: 'output', image: this.image, text: m.status });
    }
    const error = m.errorDetail?.message ?? m.error;
    if (typeof error === 'string' && error !== '') this.fail(error);
  }

  private line(text: string): void {
    const step = STEP.exec(text);
    if (step) {
      this.step = Number(step[1]);
      const line = this.stepLine();
      this.emit({
        type: 'step',
        image: this.image,
        step: this.step,
        total: Number(step[2]),
        instruction: step[3]!,
        ...(line !== undefined ? { line } : {}),
      });
      return;
    }
    if (text.trim() === '') return;
    if (text.trim() === '---> Using cache') this.emit({ type: 'cache-hit', image: this.image, step: this.step });
    this.emit({ type: 'output', image: this.image, text });
  }

  /** The build failed with the engine's message (a stream error, or the request's own error). */
  fail(message: string): void {
    if (this.lastError === message) return;
    this.lastError = message;
    if (this.partial.trim() !== '') this.line(this.partial);
    this.partial = '';
    const parse = PARSE_ERROR.exec(message);
    const line = parse ? Number(parse[1]) : this.stepLine();
    this.emit({
      type: 'error',
      image: this.image,
      message: message.trim(),
      dockerfile: this.dockerfile,
      ...(line !== undefined ? { line } : {}),
    });
  }

  get failed(): boolean {
    return this.lastError !== undefined;
  }
}
