import type { Deal } from './deals.js';
import type { HostUser } from './users.js';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const layout = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <title>${escape(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 0; }
    header { display: flex; align-items: center; gap: 1rem; padding: .75rem 1.5rem; border-bottom: 1px solid #ddd; }
    header .who { margin-left: auto; }
    main { padding: 1.5rem; }
  </style>
</head>
<body>
${body}
</body>
</html>`;

export function signInPage(error?: string): string {
  return layout(
    'Sign in to Host App',
    `<main>
  <h1>Host App</h1>
  ${error ? `<p role="alert">${escape(error)}</p>` : ''}
  <form method="post" action="/login">
    <label>Username <input name="username" autocomplete="username" required /></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
    <button>Sign in</button>
  </form>
  <p>Try <code>grace</code> / <code>grace-password</code> or <code>alan</code> / <code>alan-password</code>.</p>
</main>`,
  );
}

/**
 * The signed-in page. It holds the Taskbase URL (public) and nothing secret:
 * the widgets get their token from this app's own /taskbase-token route,
 * which the session cookie authenticates.
 */
export function appPage(user: HostUser, taskbaseUrl: string, deals: readonly Deal[] = []): string {
  return layout(
    'Host App',
    `<tb-provider url="${escape(taskbaseUrl)}">
  <header>
    <strong>Host App</strong>
    <nav>${deals.map((deal) => `<a href="/deals/${encodeURIComponent(deal.id)}">${escape(deal.name)}</a>`).join(' ')}</nav>
    <span class="who">Signed in as ${escape(user.name)}</span>
    <tb-notification-bell></tb-notification-bell>
    <form method="post" action="/logout"><button>Sign out</button></form>
  </header>
  <main><tb-task-board></tb-task-board></main>
</tb-provider>
<script type="module">
  import '/taskbase-widgets.js';

  // Called for the first token and again before each one expires.
  document.querySelector('tb-provider').tokenProvider = async () => {
    const response = await fetch('/taskbase-token', { credentials: 'same-origin' });
    if (response.status === 401) location.assign('/'); // the host session ended
    if (!response.ok) throw new Error('Could not get a Taskbase token: ' + response.status);
    return response.text();
  };
</script>
`,
  );
}

/**
 * One deal's page: its own board, scoped to the deal's project. The token
 * route of this page mints a token narrowed to that project, so the board
 * sees and creates tasks there only; `project` tells the widget which
 * project it shows.
 */
export function dealPage(user: HostUser, taskbaseUrl: string, deal: Deal): string {
  const tokenUrl = `/deals/${encodeURIComponent(deal.id)}/taskbase-token`;
  return layout(
    `${deal.name} · Host App`,
    `<tb-provider url="${escape(taskbaseUrl)}" data-token-url="${escape(tokenUrl)}">
  <header>
    <a href="/">Host App</a>
    <h1>${escape(deal.name)}</h1>
    <span class="who">Signed in as ${escape(user.name)}</span>
  </header>
  <main><tb-task-board project="ext:${escape(deal.id)}"></tb-task-board></main>
</tb-provider>
<script type="module">
  import '/taskbase-widgets.js';

  const provider = document.querySelector('tb-provider');
  provider.tokenProvider = async () => {
    const response = await fetch(provider.dataset.tokenUrl, { credentials: 'same-origin' });
    if (response.status === 401) location.assign('/'); // the host session ended
    if (!response.ok) throw new Error('Could not get a Taskbase token: ' + response.status);
    return response.text();
  };
</script>
`,
  );
}
