// One self-contained ES module (Lit and the SDK inside) for a <script type="module"> tag.
// Not split into chunks: it registers every element, tb-task-detail and tb-comments included,
// and is documented (and served, and copied next to pages) as one file. The board's lazy loader
// of its dialog's elements (src/task-board/dialog-elements.ts) becomes static imports here:
// the file has them anyway, and a dynamic import() inside one bundle makes esbuild wrap every
// module it reaches in lazy-init closures (+1 KB min+gz).
import { build } from 'esbuild';

const eagerDialogElements = {
  name: 'eager-dialog-elements',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]task-board[\\/]dialog-elements\.js$/ }, () => ({
      contents: "import '../task-detail/task-detail.js';\nimport '../comments/comments.js';\nexport const loadDialogElements = () => Promise.resolve();\n",
      resolveDir: 'dist/task-board',
      loader: 'js',
    }));
  },
};

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
  plugins: [eagerDialogElements],
  logLevel: 'warning',
});
