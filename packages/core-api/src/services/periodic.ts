/** A periodic job that never overlaps itself. */
export function every<T>(intervalMs: number, run: () => Promise<T>, onError: (error: unknown) => void, onRun: (result: T) => void): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .then(onRun, onError)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
