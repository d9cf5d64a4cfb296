// One self-contained ES module (Lit and the SDK inside) for a <script type="module"> tag.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/define.js'],
  outfile: 'dist/cdn/taskbase-widgets.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'eof',
  conditions: ['browser', 'production'],
  logLevel: 'warning',
});
