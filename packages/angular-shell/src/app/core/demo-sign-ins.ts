/** The demo workspace's sign-ins, as GET /api/auth/demo answers them in development. */
export interface DemoSignIns {
  workspace: string;
  password: string;
  users: Array<{ name: string; email: string; role: string }>;
}

/**
 * The demo sign-ins the API offers, or undefined: in production, and
 * wherever no demo workspace was seeded, the API answers 404 and the
 * sign-in page shows nothing of it.
 */
export async function loadDemoSignIns(origin = globalThis.location.origin): Promise<DemoSignIns | undefined> {
  try {
    const response = await fetch(`${origin}/api/auth/demo`, { headers: { accept: 'application/json' } });
    return response.ok ? ((await response.json()) as DemoSignIns) : undefined;
  } catch {
    return undefined;
  }
}
