#!/usr/bin/env node
// The `zkreserve` command: runs the compiled CLI in dist/ (`npm run build`; in a clone `npm install` builds it
// through the "prepare" script, and the packed package ships dist/).
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'error: zkreserve is not built (dist/cli/main.js is missing): run `npm run build` in the zkreserve folder.\n',
  );
  process.exit(2);
}
await import(main.href);
