// The reserves commands end to end (the compiled `zkreserve`): the challenge from a bundle and from a
// ledger, `reserves add` refusing a bad item without writing, `reserves verify`, and the evidence summary
// in `verify` and `verify-inclusion` (with --require-reserves-evidence, --custodians, --json).
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle-io/read.js';
import { CUSTODIANS_FORMAT } from '../../src/reserves/custodian.js';
import { challengeForManifest, reservesChallenge } from '../../src/reserves/challenge.js';
import { openSqliteLedger } from '../../src/storage/open-ledger.js';
import { formatMinorUnits } from '../../src/money/amount.js';
import { proveSolvency } from '../../src/prover/prove-solvency.js';
import { statementFromLedger } from '../../src/prover/statement-from-ledger.js';
import { terminateCurves } from '../../src/zk/snarkjs.js';
import { GOOD_CSV, tempDir, writeText, zk } from '../cli/helpers.js';
import { SECRET, T, devKeys, makeLedger } from '../prover/fixtures.js';
import { CUSTODIAN, OPERATOR, custodianItem, custodianPublicKey, evidenceFor } from './support.js';
import type { BundleData } from '../../src/bundle/format.js';

let dir: string;
let bundleDir: string;
let bundle: BundleData;
let custodians: string;
let packet: string;
let R: bigint;
const usd = (v: bigint) => `${formatMinorUnits(v, 2)} USD`;

beforeAll(async () => {
  dir = await tempDir('reserves');
  bundleDir = path.join(dir, 'bundle');
  const packets = path.join(dir, 'packets');
  await proveSolvency({
    statement: await statementFromLedger(makeLedger(3).ledger, T, 'USD'),
    secret: SECRET,
    keys: await devKeys(),
    outDir: bundleDir,
    packetsDir: packets,
    allowInsecureDevKeys: true,
  });
  await terminateCurves();
  bundle = await readBundle(bundleDir);
  R = BigInt(bundle.manifest.reserves);
  custodians = await writeText(
    dir,
    'custodians.json',
    JSON.stringify({
      format: CUSTODIANS_FORMAT,
      custodians: [{ name: CUSTODIAN, publicKey: custodianPublicKey() }],
    }),
  );
  packet = path.join(packets, (await readdir(packets)).sort()[0]!);
}, 600_000);

const statement = (amount: string, fields = {}) =>
  custodianItem(challengeForManifest(bundle.manifest, OPERATOR), {
    amount,
    asOf: bundle.manifest.snapshotTime,
    ...fields,
  });

describe('zkreserve reserves', () => {
  it('challenge from a bundle is the manifest round; from a ledger, the audit head at T', async () => {
    const fromBundle = await zk(['reserves', 'challenge', bundleDir, '--operator', OPERATOR]);
    expect(fromBundle.code, fromBundle.stderr).toBe(0);
    expect(fromBundle.stdout).toBe(`${challengeForManifest(bundle.manifest, OPERATOR)}\n`);
    const wrong = await zk(['reserves', 'challenge', bundleDir, '--operator', OPERATOR, '--currency', 'EUR']);
    expect(wrong.code).toBe(2);
    const bad = await zk(['reserves', 'challenge', bundleDir, '--operator', 'tab\there']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/printable ASCII.*\[INVALID_CHALLENGE\]/);

    const db = path.join(dir, 'ledger.db');
    expect((await zk(['init', db])).code).toBe(0);
    expect((await zk(['import', db, await writeText(dir, 'b.csv', GOOD_CSV)])).code).toBe(0);
    const at = '2099-01-01T00:00:00Z';
    const r = await zk([
      'reserves',
      'challenge',
      db,
      '--at',
      at,
      '--currency',
      'USD',
      '--operator',
      OPERATOR,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const ledger = openSqliteLedger(db);
    const head = ledger.snapshot(at).auditHead;
    ledger.close();
    const expected = reservesChallenge({
      operator: OPERATOR,
      currency: 'USD',
      snapshotTime: at,
      auditHead: head,
    });
    expect(JSON.parse(r.stdout)).toMatchObject({
      challenge: expected,
      auditHead: { sequence: head.sequence, hash: head.hash },
    });
    expect((await zk(['reserves', 'challenge', db, '--operator', OPERATOR])).stderr).toMatch(
      /--at and --currency/,
    );
  });

  it('verify says "reserves not evidenced"; --require-reserves-evidence makes that a failure', async () => {
    const plain = await zk(['verify', bundleDir]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/reserves not evidenced/);
    const required = await zk(['verify', bundleDir, '--require-reserves-evidence']);
    expect(required.code).toBe(1);
    expect(required.stdout.split('\n')[0]).toMatch(/^RESULT: INVALID/);
    const inc = await zk([
      'verify-inclusion',
      packet,
      '--bundle',
      bundleDir,
      '--require-reserves-evidence',
      '--json',
    ]);
    expect(inc.code).toBe(1);
    expect(JSON.parse(inc.stdout)).toMatchObject({ ok: false, reservesEvidence: { present: false } });
  });

  it('add refuses a bad item with its reason and writes nothing; a good one is appended', async () => {
    const target = path.join(bundleDir, 'reserves', 'evidence.json');
    const tampered = { ...statement(R.toString()), amount: '99999999' };
    const badFile = await writeText(
      dir,
      'bad.json',
      JSON.stringify(
        evidenceFor(bundle, [statement('1', { account: 'x' }), tampered], {
          window: { beforeSeconds: 0, afterSeconds: 60 },
        }),
      ),
    );
    const bad = await zk(['reserves', 'add', bundleDir, badFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /items\[1\] custodian "Demo Trust Bank".*Ed25519 signature is not valid.*\[EVIDENCE_REFUSED\]/,
    );
    expect(existsSync(target)).toBe(false);

    const good = evidenceFor(bundle, [statement((R - 370n).toString())], {
      window: { beforeSeconds: 0, afterSeconds: 60 },
    });
    const goodFile = await writeText(dir, 'good.json', JSON.stringify(good));
    const added = await zk(['reserves', 'add', bundleDir, goodFile]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/added 1 item/);
    expect(JSON.parse(await readFile(target, 'utf8'))).toEqual(good);
  });

  it('reserves verify: unpinned custodian not counted; pinned, a shortfall in major units; then covered', async () => {
    const unpinned = await zk(['reserves', 'verify', bundleDir]);
    expect(unpinned.code).toBe(1);
    expect(unpinned.stdout).toMatch(
      new RegExp(`UNVERIFIED +#0 custodian "Demo Trust Bank" account "omnibus-1": ${usd(R - 370n)}`),
    );
    expect(unpinned.stdout).toMatch(/not pinned/);
    const short = await zk(['reserves', 'verify', bundleDir, '--custodians', custodians]);
    expect(short.code).toBe(1);
    expect(short.stdout).toMatch(
      new RegExp(
        `reserves NOT covered: ${usd(R - 370n)} verified of the proven reserves ${usd(R)}, shortfall 3.70 USD`,
      ),
    );

    const more = evidenceFor(bundle, [statement('370', { account: 'omnibus-2' })], {
      window: { beforeSeconds: 0, afterSeconds: 60 },
    });
    expect(
      (await zk(['reserves', 'add', bundleDir, await writeText(dir, 'more.json', JSON.stringify(more))]))
        .code,
    ).toBe(0);
    const covered = await zk(['reserves', 'verify', bundleDir, '--custodians', custodians, '--json']);
    expect(covered.code, covered.stdout).toBe(0);
    expect(JSON.parse(covered.stdout)).toMatchObject({
      ok: true,
      covered: true,
      evidenced: R.toString(),
      counts: { verified: 2 },
    });
  });

  it('verify and verify-inclusion show the evidence and pass --require-reserves-evidence with pinned custodians', async () => {
    const v = await zk(['verify', bundleDir, '--require-reserves-evidence', '--custodians', custodians]);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/VERIFIED +#1 custodian/);
    expect(v.stdout).toMatch(
      new RegExp(`reserves evidenced: ${usd(R)} verified covers the proven reserves ${usd(R)}`),
    );
    const unpinned = await zk(['verify', bundleDir, '--require-reserves-evidence', '--json']);
    expect(unpinned.code).toBe(1);
    expect(JSON.parse(unpinned.stdout).reservesEvidence).toMatchObject({
      present: true,
      counts: { unverified: 2 },
    });
    const inc = await zk(['verify-inclusion', packet, '--bundle', bundleDir, '--custodians', custodians]);
    expect(inc.code, inc.stderr).toBe(0);
    expect(inc.stdout).toMatch(new RegExp(`reserves evidenced: ${usd(R)}`));
    // Evidence for another round appended by hand is caught by every verifier.
    const e = JSON.parse(await readFile(path.join(bundleDir, 'reserves', 'evidence.json'), 'utf8'));
    e.challenge = e.challenge.replace(/#(\d+)/, (_: string, n: string) => `#${Number(n) + 1}`);
    await writeFile(path.join(bundleDir, 'reserves', 'evidence.json'), JSON.stringify(e));
    const replay = await zk(['verify', bundleDir, '--require-reserves-evidence', '--custodians', custodians]);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/not this round's/);
  });
});
