// Runs the compiled CLI's runCli (dist/cli/run.js, what bin/zkreserve.js runs) once per argv given as JSON in
// argv[2], in one process, and prints one JSON line per run: { code, stdout }. Used by test/cli/commands.test.ts
// to check every command's --help without paying a Node start and a full module load per command.
import process from 'node:process';
import { URL } from 'node:url';

const runs = JSON.parse(process.argv[2]);
const { runCli } = await import(new URL('../../dist/cli/run.js', import.meta.url).href);
const write = process.stdout.write.bind(process.stdout);
const results = [];
for (const argv of runs) {
  let stdout = '';
  process.stdout.write = (chunk) => {
    stdout += String(chunk);
    return true;
  };
  let code;
  try {
    code = await runCli(argv);
  } finally {
    process.stdout.write = write;
  }
  results.push({ argv, code, stdout });
}
write(JSON.stringify(results) + '\n');
process.exit(0);
