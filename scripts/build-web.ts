// Builds the static verification page into web/dist/ (or the folder given as the first argument):
// index.html, style.css and one bundled app.js (snarkjs included). Publish the folder as is, or open
// index.html from disk.
//
// app.js is a classic script (an IIFE), not an ES module: Chromium refuses module scripts on a file://
// page (origin "null"), and the page must work opened from disk. esbuild resolves snarkjs to its "browser"
// export (build/browser.esm.js), which already carries its own shims; its curve code runs in Web Workers
// created from Blob URLs, which also work from file://. No `process`/`Buffer` define or inject is needed:
// test/web/page.test.ts runs the built page in Chromium, hosted and from file://.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildWeb(outDir = path.join(root, 'web', 'dist')): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'web', 'src', 'main.ts')],
    outfile: path.join(outDir, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
    legalComments: 'none',
  });
  for (const file of ['index.html', 'style.css']) {
    await copyFile(path.join(root, 'web', file), path.join(outDir, file));
  }
  return outDir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildWeb(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`verification page built in ${path.relative(process.cwd(), out) || '.'}/ (open index.html)`);
}
