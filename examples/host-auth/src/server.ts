import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { createClient } from '@taskbase/sdk';
import { DealProjects } from './dealProjects.js';
import { findDeal, listDeals } from './deals.js';
import { appPage, dealPage, signInPage } from './pages.js';
import { Sessions } from './sessions.js';
import { checkPassword } from './users.js';

export interface HostAppOptions {
  /** Where Taskbase runs, as the browser reaches it. */
  taskbaseUrl: string;
  /** A Taskbase API key (`tb_sk_…`). It stays on this server. */
  apiKey: string;
}

/** The self-contained widgets file, served by the host from its own origin. */
const widgetsFile = createRequire(import.meta.url).resolve('@taskbase/widgets/cdn');

/** The host app: its own sign-in, its own pages, and one route that trades its session for a Taskbase token. */
export function createHostApp(options: HostAppOptions): Server {
  const sessions = new Sessions();
  const taskbase = createClient({ url: options.taskbaseUrl });
  const dealProjects = new DealProjects(options.taskbaseUrl, options.apiKey);

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    'GET /': async (req, res) => {
      const user = sessions.user(req);
      send(res, 200, 'text/html; charset=utf-8', user ? appPage(user, options.taskbaseUrl, listDeals()) : signInPage());
    },
    'POST /login': async (req, res) => {
      const form = new URLSearchParams(await readBody(req));
      const user = checkPassword(form.get('username') ?? '', form.get('password') ?? '');
      if (!user) return send(res, 401, 'text/html; charset=utf-8', signInPage('Wrong username or password.'));
      sessions.start(res, user);
      res.writeHead(303, { location: '/' }).end();
    },
    'POST /logout': async (req, res) => {
      sessions.end(req, res);
      res.writeHead(303, { location: '/' }).end();
    },
    // Server to server: the API key goes from here to Taskbase, never to the browser.
    'GET /taskbase-token': async (req, res) => {
      const user = sessions.user(req);
      if (!user) return send(res, 401, 'text/plain', 'Not signed in');
      const { accessToken } = await taskbase.auth.embedToken(options.apiKey, {
        externalId: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
      });
      res.setHeader('cache-control', 'no-store');
      send(res, 200, 'text/plain', accessToken);
    },
    'GET /taskbase-widgets.js': async (_req, res) => {
      send(res, 200, 'text/javascript; charset=utf-8', await readFile(widgetsFile));
    },
  };

  // One deal's page and its token route: /deals/<deal id>[/taskbase-token].
  const dealRoutes = {
    // First use of a deal creates its project (later visits keep it in step).
    page: async (req: IncomingMessage, res: ServerResponse, dealId: string) => {
      const user = sessions.user(req);
      if (!user) return res.writeHead(303, { location: '/' }).end();
      const deal = findDeal(dealId);
      if (!deal) return send(res, 404, 'text/plain', 'No such deal');
      await dealProjects.ensure(deal);
      send(res, 200, 'text/html; charset=utf-8', dealPage(user, options.taskbaseUrl, deal));
    },
    // A token narrowed to the deal's project: it sees and creates tasks there only.
    token: async (req: IncomingMessage, res: ServerResponse, dealId: string) => {
      const user = sessions.user(req);
      if (!user) return send(res, 401, 'text/plain', 'Not signed in');
      const deal = findDeal(dealId);
      if (!deal) return send(res, 404, 'text/plain', 'No such deal');
      const { accessToken } = await taskbase.auth.embedToken(options.apiKey, {
        externalId: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        projects: [`ext:${deal.id}`],
      });
      res.setHeader('cache-control', 'no-store');
      send(res, 200, 'text/plain', accessToken);
    },
  };

  return createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://host').pathname;
    const route = routes[`${req.method} ${path}`];
    const deal = req.method === 'GET' ? /^\/deals\/([^/]+)(\/taskbase-token)?$/.exec(path) : null;
    try {
      if (route) await route(req, res);
      else if (deal) await dealRoutes[deal[2] ? 'token' : 'page'](req, res, decodeURIComponent(deal[1]!));
      else send(res, 404, 'text/plain', 'Not found');
    } catch (error) {
      console.error(error);
      if (!res.headersSent) send(res, 502, 'text/plain', 'Taskbase is unavailable');
    }
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type }).end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req as AsyncIterable<Buffer>) {
    body += chunk.toString('utf8');
    if (body.length > 10_000) throw new Error('Form too large');
  }
  return body;
}
