/**
 * A one-line progress display: on a terminal the percentage is rewritten in
 * place; in a log it prints a line every 10%.
 */
export function progress(label: string, total: number): { update(done: number): void; finish(): void } {
  const tty = process.stdout.isTTY === true;
  let lastShown = -1;
  const started = performance.now();
  const show = (done: number) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === lastShown || (!tty && percent % 10 !== 0)) return;
    lastShown = percent;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const text = `${label}: ${String(percent).padStart(3)}%  (${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}, ${seconds} s)`;
    process.stdout.write(tty ? `\r${text}` : `${text}\n`);
  };
  return {
    update: show,
    finish() {
      show(total);
      if (tty) process.stdout.write('\n');
    },
  };
}
