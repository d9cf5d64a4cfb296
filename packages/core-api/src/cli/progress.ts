import type { Output } from './args.js';

export interface JobProgress {
  done: number;
  total: number | null;
  phase: string;
}

const number = (n: number) => n.toLocaleString('en-US');

/**
 * A job's progress on stderr: a bar redrawn in place on a terminal, else a plain line per phase
 * and per tenth done (logs and CI stay readable).
 */
export class ProgressReporter {
  private last = '';
  private drawn = false;

  constructor(
    private readonly output: Output,
    private readonly label: string,
  ) {}

  update({ done, total, phase }: JobProgress): void {
    const share = total ? Math.min(1, done / total) : undefined;
    if (this.output.tty) {
      const width = 24;
      const bar = share === undefined ? '' : `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${String(Math.floor(share * 100)).padStart(3)}%  `;
      const line = `${this.label} ${phase.padEnd(12)} ${bar}${number(done)}${total ? `/${number(total)}` : ''}`;
      if (line === this.last) return;
      this.output.err(`\r\x1b[2K${line}`);
      this.drawn = true;
      this.last = line;
      return;
    }
    // One line per phase, and per tenth of it.
    const key = `${phase} ${share === undefined ? '' : Math.floor(share * 10)}`;
    if (key === this.last) return;
    this.last = key;
    this.output.err(`${this.label} ${phase}: ${number(done)}${total ? `/${number(total)} (${Math.floor((share ?? 0) * 100)}%)` : ''}\n`);
  }

  /** Ends the bar's line before the summary. */
  finish(): void {
    if (this.drawn) this.output.err('\n');
    this.drawn = false;
  }
}
