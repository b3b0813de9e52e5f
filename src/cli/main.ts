// Entry point of the `zkreserve` command (bin/zkreserve.js runs this file through tsx).
import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2));
// snarkjs and worker pools can keep handles alive: exit explicitly once everything is written.
process.exit(code);
