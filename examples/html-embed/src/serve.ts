// Serves index.html and the widgets file: npm start -w @taskbase/example-html-embed
// Any static file server does the same; this one needs nothing but Node.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const FILES: Record<string, { path: string; type: string }> = {
  '/': { path: fileURLToPath(new URL('../index.html', import.meta.url)), type: 'text/html; charset=utf-8' },
  '/taskbase-widgets.js': { path: createRequire(import.meta.url).resolve('@taskbase/widgets/cdn'), type: 'text/javascript; charset=utf-8' },
};

export function createStaticServer(): Server {
  return createServer(async (req, res) => {
    const file = FILES[new URL(req.url ?? '/', 'http://localhost').pathname.replace(/\/index\.html$/, '/')];
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type }).end(await readFile(file.path));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  createStaticServer().listen(port, '127.0.0.1', () => console.log(`Open http://127.0.0.1:${port}/#url=…&token=…`));
}
