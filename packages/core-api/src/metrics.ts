/**
 * A minimal Prometheus text registry: counters and gauges with fixed names.
 * Enough for /metrics without pulling a client library into the hot path.
 */
export class Metrics {
  private readonly values = new Map<string, { help: string; type: 'counter' | 'gauge'; value: number | (() => number) }>();

  counter(name: string, help: string): { inc(by?: number): void } {
    const entry = { help, type: 'counter' as const, value: 0 };
    this.values.set(name, entry);
    return { inc: (by = 1) => void (entry.value += by) };
  }

  gauge(name: string, help: string, read: () => number): void {
    this.values.set(name, { help, type: 'gauge', value: read });
  }

  render(): string {
    let text = '';
    for (const [name, entry] of this.values) {
      const value = typeof entry.value === 'function' ? entry.value() : entry.value;
      text += `# HELP ${name} ${entry.help}\n# TYPE ${name} ${entry.type}\n${name} ${value}\n`;
    }
    return text;
  }
}
