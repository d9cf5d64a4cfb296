import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostUser } from './users.js';

const COOKIE = 'host_session';

/** The host app's own sessions: a random id in an HttpOnly cookie, the user in memory. */
export class Sessions {
  private readonly byId = new Map<string, HostUser>();

  start(res: ServerResponse, user: HostUser): void {
    const id = randomBytes(24).toString('base64url');
    this.byId.set(id, user);
    // Add `Secure` when the app is served over HTTPS.
    res.setHeader('set-cookie', `${COOKIE}=${id}; HttpOnly; SameSite=Lax; Path=/`);
  }

  user(req: IncomingMessage): HostUser | undefined {
    const id = cookieValue(req.headers.cookie, COOKIE);
    return id ? this.byId.get(id) : undefined;
  }

  end(req: IncomingMessage, res: ServerResponse): void {
    const id = cookieValue(req.headers.cookie, COOKIE);
    if (id) this.byId.delete(id);
    res.setHeader('set-cookie', `${COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`);
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
