import { createHmac, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind } from '../../schemas/notificationPreferences.js';

export type UnsubscribeKind = NotificationKind | 'all';
export interface UnsubscribeTarget {
  workspaceId: number;
  userId: number;
  /** The kind whose email turns off; `all` (from a digest) turns every kind's email off. */
  kind: UnsubscribeKind;
}

/**
 * Signed one-click unsubscribe links (RFC 8058): the token names the user
 * and the kind, and an HMAC proves the server wrote it. The key is derived
 * from the server secret for this purpose alone, so a token is good for
 * nothing else, and nothing else's signature is good as a token.
 */
export class UnsubscribeLinks {
  private readonly key: Buffer;

  constructor(serverSecret: string) {
    this.key = createHmac('sha256', serverSecret).update('taskbase:email-unsubscribe:v1').digest();
  }

  token(target: UnsubscribeTarget): string {
    const body = `${target.workspaceId}.${target.userId}.${target.kind}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The target of a genuine token; undefined for anything else (compared in constant time). */
  verify(token: string): UnsubscribeTarget | undefined {
    const match = /^(\d{1,16})\.(\d{1,16})\.([a-z_]{1,32})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    const [, workspace, user, kind, signature] = match as unknown as [string, string, string, string, string];
    if (kind !== 'all' && !(NOTIFICATION_KINDS as readonly string[]).includes(kind)) return undefined;
    const expected = Buffer.from(this.sign(`${workspace}.${user}.${kind}`));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { workspaceId: Number(workspace), userId: Number(user), kind: kind as UnsubscribeKind };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
