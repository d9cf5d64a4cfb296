/**
 * Builds a URL path, percent-encoding every interpolated value so that an id
 * can never add a path segment or a query string: path`/api/tasks/${id}`.
 */
export function path(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  let out = strings[0]!;
  values.forEach((value, index) => {
    const text = String(value);
    if (text === '' || text === '.' || text === '..') {
      throw new TypeError(`A path parameter cannot be ${JSON.stringify(text)} (in ${strings.join('…')})`);
    }
    out += encodeURIComponent(text) + strings[index + 1]!;
  });
  return out;
}

type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;

/** A query string from an object: arrays become comma lists, undefined and null are left out. */
export function queryString(query: object | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as Array<[string, QueryValue]>) {
    if (value === undefined || value === null) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
