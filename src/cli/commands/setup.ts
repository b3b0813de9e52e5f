// zkreserve setup ...: thin wrappers over the trusted-setup ceremony (src/setup/ceremony.ts, ptau.ts).
import path from 'node:path';
import type { Command } from 'commander';
import {
  readReceipt,
  setupBeacon,
  setupContribute,
  setupExport,
  setupInit,
  setupVerify,
  verifyKeyExport,
  type VerifyReport,
} from '../../setup/ceremony.js';
import { importPtau } from '../../setup/ptau.js';
import type { ProgressFn } from '../../setup/progress.js';
import { FAMILIES, familyById, ptauPowerFor } from '../../protocol/families.js';
import { createProgress } from '../../terminal/progress.js';
import { CliExit, CliUsageError, EXIT_FAILED } from '../errors.js';
import { positiveInt } from '../options.js';
import { out } from '../../terminal/output.js';

function notes(): ProgressFn {
  const progress = createProgress(process.stderr);
  return (e) => progress.note(`[${e.stage}] ${e.message}`);
}

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

export function registerSetup(program: Command): void {
  const setup = program
    .command('setup')
    .description(
      'trusted-setup ceremony: import a powers-of-tau, collect contributions, apply a beacon, export keys',
    );

  setup
    .command('import-ptau')
    .description(
      'check a powers-of-tau file against the published Hermez hashes and show which circuits it fits',
    )
    .argument('<file>', 'a powersOfTau28_hez_final_NN.ptau file')
    .option('--allow-unlisted', 'accept a file that is not on the published list (recorded as "unlisted")')
    .action(async (file: string, opts: { allowUnlisted?: boolean }) => {
      const r = await importPtau(file, { allowUnlisted: opts.allowUnlisted === true, onProgress: notes() });
      out(`ptau ${r.file}`);
      out(`  power         2^${r.power} (from a 2^${r.ceremonyPower} ceremony)`);
      out(`  origin        ${r.origin}${r.hermezFile ? ` (${r.hermezFile})` : ''}`);
      out(`  blake2b-512   ${r.blake2b}`);
      out(`  sha256        ${r.sha256}`);
      for (const f of FAMILIES) {
        const need = ptauPowerFor(f);
        out(`  family ${f.id.padEnd(14)} needs 2^${need}: ${need <= r.power ? 'fits' : 'too small'}`);
      }
    });

  setup
    .command('init')
    .description('start a ceremony: compile the circuits, check the ptau size, create the initial zkeys')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory (must not hold one)')
    .requiredOption('--ptau <file>', 'powers-of-tau file')
    .option(
      '--family <id>',
      `circuit family (repeatable; default the production families; known: ${FAMILIES.map((f) => f.id).join(', ')})`,
      collect,
    )
    .option('--allow-unlisted', 'accept a ptau that is not on the published list')
    .action(async (opts: { dir: string; ptau: string; family?: string[]; allowUnlisted?: boolean }) => {
      const ids = opts.family ?? FAMILIES.filter((f) => ptauPowerFor(f) === 16).map((f) => f.id);
      const families = ids.map((id) => familyById(id));
      const state = await setupInit(opts.dir, {
        families,
        ptauFile: opts.ptau,
        allowUnlistedPtau: opts.allowUnlisted === true,
        onProgress: notes(),
      });
      out(`ceremony initialised in ${opts.dir} with ptau 2^${state.ptau.power} (${state.ptau.origin})`);
      for (const c of state.circuits) {
        out(
          `  ${c.name.padEnd(24)} ${String(c.constraints).padStart(7)} constraints, needs ptau 2^${c.requiredPower}`,
        );
      }
      out('next: each contributor runs `zkreserve setup contribute --dir <dir> --name <who>`');
    });

  setup
    .command('contribute')
    .description('add your random contribution to every circuit (keep nothing: the randomness is discarded)')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory')
    .requiredOption('--name <who>', 'your public name, recorded in the transcript')
    .option('--entropy <text>', 'extra entropy to mix in (OS randomness is always used)')
    .action(async (opts: { dir: string; name: string; entropy?: string }) => {
      const r = await setupContribute(opts.dir, {
        name: opts.name,
        ...(opts.entropy !== undefined ? { entropy: opts.entropy } : {}),
        onProgress: notes(),
      });
      const receipt = path.join(opts.dir, 'receipts', `${String(r.index).padStart(4, '0')}.json`);
      out(`contribution #${r.index} by ${r.name} recorded; publish these hashes:`);
      for (const [name, hash] of Object.entries(r.contributions)) out(`  ${name}: ${hash}`);
      out(`receipt: ${receipt}`);
      out(
        'publish the receipt on a channel you control; anyone checks it with ' +
          '`zkreserve setup verify --dir <dir> --receipt <receipt.json>`',
      );
    });

  setup
    .command('beacon')
    .description('apply the final public random beacon (closes the ceremony)')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory')
    .argument('<hex>', 'beacon value fixed in advance, e.g. a future block hash (hex)')
    .argument('<iterations>', 'the beacon is hashed 2^iterations times (10..63)')
    .action(async (hex: string, iterations: string, opts: { dir: string }) => {
      const r = await setupBeacon(opts.dir, {
        beaconHex: hex,
        iterationsExp: positiveInt(iterations, 'iterations'),
        onProgress: notes(),
      });
      out(`beacon applied as step #${r.index}; the ceremony is finalized`);
      for (const [name, hash] of Object.entries(r.contributions)) out(`  ${name}: ${hash}`);
    });

  setup
    .command('verify')
    .description(
      'verify a ceremony (--dir) or a key export (--keys): ptau, every contribution, the final keys, and the ' +
        "contributors' published receipts",
    )
    .option('--dir <ceremony-dir>', 'ceremony directory')
    .option(
      '--keys <keys-dir>',
      'a key export (setup export): checked against --dir, or on its own with --ptau',
    )
    .option(
      '--ptau <file>',
      "phase-1 file to check against (default: the ceremony's copy; required with --keys alone)",
    )
    .option('--receipt <file>', 'a receipt a contributor published (repeatable, in chain order)', collect)
    .option('--circuit <name>', 'verify only this circuit (repeatable; default: all)', collect)
    .action(
      async (opts: {
        dir?: string;
        keys?: string;
        ptau?: string;
        receipt?: string[];
        circuit?: string[];
      }) => {
        if (opts.dir === undefined && opts.keys === undefined)
          throw new CliUsageError('give --dir <ceremony-dir> or --keys <keys-dir> (or both)');
        if (opts.dir === undefined && opts.ptau === undefined)
          throw new CliUsageError(
            '--keys without --dir needs --ptau <file>: the phase-1 file the keys were made from',
          );
        const receipts = [];
        for (const file of opts.receipt ?? []) receipts.push(await readReceipt(file));
        const common = {
          onProgress: notes(),
          ...(receipts.length > 0 ? { receipts } : {}),
          ...(opts.circuit ? { circuits: opts.circuit } : {}),
        };
        const r: VerifyReport =
          opts.dir !== undefined
            ? await setupVerify(opts.dir, {
                ...common,
                ...(opts.keys !== undefined ? { keysDir: opts.keys } : {}),
                ...(opts.ptau !== undefined ? { ptauFile: opts.ptau } : {}),
              })
            : await verifyKeyExport(opts.keys!, { ...common, ptauFile: opts.ptau! });
        const what = opts.dir !== undefined ? 'ceremony' : `key export ${opts.keys!}`;
        out(`ptau 2^${r.ptau.power} (${r.ptau.origin}): ${r.ptau.ok ? 'ok' : 'BAD'}`);
        for (const c of r.circuits) out(`  ${c.name}: ${c.ok ? 'ok' : `BAD: ${c.reasons.join('; ')}`}`);
        for (const t of r.transcript) out(`  #${t.index} ${t.type} by ${t.name}`);
        for (const x of r.receipts) {
          out(
            `  receipt #${x.index} ${x.name}: ${x.ok ? 'matches the chain' : `BAD: ${x.reasons.join('; ')}`}`,
          );
        }
        for (const w of r.warnings) out(`warning: ${w}`);
        if (r.ok)
          out(
            `${what} verifies${receipts.length > 0 ? ` (with ${receipts.length} published receipts)` : ''}`,
          );
        else throw new CliExit(EXIT_FAILED, `${what} does NOT verify: ${r.reasons.join('; ')}`);
      },
    );

  setup
    .command('export')
    .description('export the final keys (zkey, vkey, wasm, r1cs, manifest.json with the transcript)')
    .requiredOption('--dir <ceremony-dir>', 'ceremony directory')
    .requiredOption('--out <keys-dir>', 'output directory, for zkreserve prove --keys')
    .option('--allow-unfinalized', 'export before the beacon (not for production)')
    .action(async (opts: { dir: string; out: string; allowUnfinalized?: boolean }) => {
      if (opts.out === opts.dir) throw new CliUsageError('--out must differ from --dir');
      const m = await setupExport(opts.dir, opts.out, {
        allowUnfinalized: opts.allowUnfinalized === true,
        onProgress: notes(),
      });
      out(
        `exported ${Object.keys(m.circuits).length} circuits to ${opts.out} (${m.transcript.length} transcript steps)`,
      );
      out(`publish ${opts.out}/manifest.json: verifiers pin it with zkreserve verify --trusted-keys`);
    });
}
