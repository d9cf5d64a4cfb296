/**
 * ID inputs arrive as strings, where the REST schemas (which validate
 * GraphQL inputs too) take integers. Numeric ids become numbers, in a field
 * or a list; anything else is left for the validator to name.
 */
export function numericIds<T extends object>(input: T, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const asNumber = (value: unknown) => (typeof value === 'string' && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : value);
  for (const field of fields) {
    const value = out[field];
    out[field] = Array.isArray(value) ? value.map(asNumber) : asNumber(value);
    if (value === undefined) delete out[field];
  }
  return out;
}

/** Argument names stay as they are: `project` is `project`. */
export const asIs = (path: string) => path;
