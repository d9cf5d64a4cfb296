/**
 * A one-line progress bar on a terminal (redrawn in place); elsewhere (CI
 * logs, pipes) nothing, so logs are not filled with carriage returns.
 */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, width = 30): (done: number, total: number) => void {
  if (!stream.isTTY) return () => {};
  return (done, total) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} rows`);
    if (done >= total) stream.write('\n');
  };
}
