/**
 * Where the refresh token of an email/password sign-in is kept. Methods may
 * be synchronous or return promises (e.g. a secure store in a native app).
 */
export interface TokenStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/** Keeps the refresh token in memory: the default; a page reload signs out. */
export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * Keeps the refresh token in `window.localStorage`, so a sign-in survives a
 * reload. Only ask for it where script injection is not a concern: any script
 * on the page can read it.
 */
export function localStorageStorage(): TokenStorage {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (!storage) throw new TypeError('The storage option is "localStorage", but this environment has no localStorage');
  return {
    getItem: (key) => storage.getItem(key),
    setItem: (key, value) => storage.setItem(key, value),
    removeItem: (key) => storage.removeItem(key),
  };
}

/**
 * The store of a browser session (`session: 'browser'`): the refresh token is
 * in the API's HttpOnly cookie, out of reach; this remembers only whether
 * there may be one (until a sign-out or a refused refresh says there is not),
 * so a fresh page tries one refresh.
 */
export function cookieSession(): TokenStorage {
  let maybe = true;
  return {
    getItem: () => (maybe ? 'cookie' : null),
    setItem: () => void (maybe = true),
    removeItem: () => void (maybe = false),
  };
}
