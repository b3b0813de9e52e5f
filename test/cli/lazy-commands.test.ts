// The CLI loads only the module of the command it runs (src/cli/run.ts COMMANDS): a wrong entry in that
// table would leave a command unreachable or register the wrong one. Every name must register itself, and
// a run that names no command, or an unknown one, must still see every command (help, "unknown command").
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/run.js';

const ALL = [
  'init',
  'import',
  'reserve',
  'reserves',
  'audit',
  'secret',
  'prove',
  'verify',
  'verify-inclusion',
  'signer',
  'sign',
  'index',
  'verify-index',
  'export-verifier',
  'anchor',
  'setup',
  'demo',
  'worker',
];

const names = async (argv?: string[]): Promise<string[]> =>
  (await buildProgram(argv)).commands.map((c) => c.name());

describe('lazy command registration', () => {
  it('registers every command, in the help order, when no command is named', async () => {
    expect(await names()).toEqual(ALL);
    expect(await names([])).toEqual(ALL);
    expect(await names(['--help'])).toEqual(ALL);
    expect(await names(['--debug', 'no-such-command', 'x'])).toEqual(ALL);
  });

  it('registers only the named command (index and verify-index share a module)', async () => {
    for (const name of ALL) {
      const got = await names(['--debug', name, '--help']);
      expect(got, name).toContain(name);
      expect(got.length, name).toBe(name === 'index' || name === 'verify-index' ? 2 : 1);
    }
  });
});
