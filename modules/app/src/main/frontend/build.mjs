// Builds Sluice's admin UI: `node build.mjs <outDir>` writes <outDir>/admin/index.html, app.js (with
// app.js.map) and app.css. The page loads only those two files (no inline script or style), so it runs
// under the strict Content-Security-Policy Sluice sends. `--watch` rebuilds on change (development).
import * as esbuild from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const watch = args.includes('--watch');
const outArg = args.find((a) => !a.startsWith('--'));
if (!outArg) {
  process.stderr.write('usage: node build.mjs <outDir> [--watch]\n');
  process.exit(2);
}
const outDir = path.resolve(outArg, 'admin');
const started = performance.now();

await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });

const options = {
  absWorkingDir: here,
  entryPoints: { app: 'src/main.jsx' },
  outdir: outDir,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' }
};

await copyFile(path.join(here, 'src/index.html'), path.join(outDir, 'index.html'));
if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
  process.stderr.write(`watching; writing ${outDir}\n`);
} else {
  const result = await esbuild.build({ ...options, metafile: true });
  const sizes = Object.entries(result.metafile.outputs)
    .map(([file, o]) => `${path.basename(file)} ${(o.bytes / 1024).toFixed(1)} KiB`)
    .join(', ');
  process.stderr.write(`admin UI built in ${Math.round(performance.now() - started)} ms: ${outDir} (${sizes})\n`);
}
