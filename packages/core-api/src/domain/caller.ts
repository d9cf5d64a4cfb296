/** A workspace role, as the original design names them (see docs/security.md for what each may do). */
export type Role = 'admin' | 'manager' | 'member';

/** Who is making a request: the user an access token stands for, with their current role. */
export interface Caller {
  userId: number;
  workspaceId: number;
  role: Role;
  name: string;
  /** Origins an embed token is limited to; undefined for unrestricted tokens. */
  origins?: string[];
  /**
   * How the caller's token was minted: by signing in (`password`), or by a
   * host app's backend for one of its users (`embed`, with the API key's
   * id). An embedded user's identity (email, password) belongs to the host.
   */
  via: 'password' | 'embed';
  apiKeyId?: number;
  /**
   * Projects an embed token (or the API key that minted it) is limited to;
   * undefined for a caller who may see every project their role allows.
   */
  projectIds?: number[];
}
