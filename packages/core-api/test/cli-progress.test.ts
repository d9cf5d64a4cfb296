import { describe, expect, it } from 'vitest';
import type { Output } from '../src/cli/args.js';
import { ProgressReporter } from '../src/cli/progress.js';

const capture = (tty: boolean): Output & { text: string } => {
  const output = { text: '', tty, out: (text: string) => (output.text += text), err: (text: string) => (output.text += text) };
  return output;
};

describe("the CLI's progress on stderr", () => {
  it('draws a bar in place on a terminal, and ends its line before the summary', () => {
    const output = capture(true);
    const progress = new ProgressReporter(output, 'import');
    progress.update({ done: 0, total: 200, phase: 'tasks' });
    progress.update({ done: 100, total: 200, phase: 'tasks' });
    progress.update({ done: 100, total: 200, phase: 'tasks' }); // unchanged: not redrawn
    progress.update({ done: 5, total: null, phase: 'comments' });
    progress.finish();
    const frames = output.text.split('\r\x1b[2K').filter(Boolean);
    expect(frames).toEqual([
      'import tasks        [........................]   0%  0/200',
      'import tasks        [############............]  50%  100/200',
      'import comments     5\n',
    ]);
  });

  it('writes plain lines elsewhere: one per phase and per tenth done', () => {
    const output = capture(false);
    const progress = new ProgressReporter(output, 'export');
    for (let done = 0; done <= 1000; done += 50) progress.update({ done, total: 1000, phase: 'tasks' });
    progress.update({ done: 3, total: null, phase: 'files' });
    progress.finish();
    const lines = output.text.trim().split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('export tasks: 0/1,000 (0%)');
    expect(lines[10]).toBe('export tasks: 1,000/1,000 (100%)');
    expect(lines[11]).toBe('export files: 3');
    expect(output.text).not.toContain('\r');
  });
});
