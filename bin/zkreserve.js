#!/usr/bin/env node
// The `zkreserve` command: runs the TypeScript sources through tsx (a runtime dependency), so no
// separate build step is needed after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
