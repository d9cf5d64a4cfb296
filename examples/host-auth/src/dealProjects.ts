import { createClient, type Project } from '@taskbase/sdk';
import type { Deal } from './deals.js';

/**
 * One Taskbase project per deal, created the first time someone opens the
 * deal and kept in step with it afterwards.
 *
 * Creating projects takes a manager or an admin, and an API key does not
 * call the REST API by itself: the backend mints an embed token for its own
 * Taskbase identity (`host-app-backend`, a manager, so the key needs
 * `maxRole: "manager"`) and acts with it. The SDK asks for a new one before
 * each expires.
 */
export class DealProjects {
  private readonly taskbase;

  constructor(taskbaseUrl: string, apiKey: string) {
    const minter = createClient({ url: taskbaseUrl });
    this.taskbase = createClient({
      url: taskbaseUrl,
      tokenProvider: async () => {
        const { accessToken } = await minter.auth.embedToken(apiKey, { externalId: 'host-app-backend', name: 'Host App (backend)', role: 'manager' });
        return accessToken;
      },
    });
  }

  /**
   * The deal's project, created on first use. The call is idempotent (and
   * safe when two requests race), so it runs on every visit: a renamed deal
   * renames its project, and nothing needs remembering here.
   */
  ensure(deal: Deal): Promise<Project> {
    return this.taskbase.projects.upsertByExternalId(deal.id, {
      name: deal.name,
      description: `Tasks of the deal with ${deal.customer}`,
    });
  }
}
