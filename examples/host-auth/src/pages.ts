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
export function appPage(user: HostUser, taskbaseUrl: string): string {
  return layout(
    'Host App',
    `<tb-provider url="${escape(taskbaseUrl)}">
  <header>
    <strong>Host App</strong>
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
