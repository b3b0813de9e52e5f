// The signed publication through the real command: signer keys, sign and co-sign, verify with a pinned set
// and a threshold, signed packets in verify-inclusion (and the evidence a wrongly signed one is), the index.
import { chmod, cp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePacket } from '../../src/bundle/packet.js';
import { parseSignerKey, signerKeyText } from '../../src/publication/signer-key.js';
import { signerSetLine } from '../../src/publication/signer-set.js';
import { key } from './support.js';
import { signPacket } from '../../src/publication/sign.js';
import { tempDir, writeText, zk } from '../cli/helpers.js';

const AT = '2026-06-30T00:00:00Z';
const CSV = [
  'external_ref,owner_type,currency,balance',
  'alice,USER,USD,100.50',
  'carol,USER,USD,1234.56',
  'bank-1,RESERVE,USD,2000.00',
  'platform,PLATFORM,USD,665.06',
  'alice,USER,EUR,10.00',
  'bank-2,RESERVE,EUR,50.00',
  'platform,PLATFORM,EUR,40.00',
  '',
].join('\n');

let work: string;
const at = (...p: string[]) => path.join(work, ...p);
let signers: string;
let signersWithAbsent: string;
let packetFile: string;

async function run(args: string[], expected = 0) {
  const r = await zk(args, work);
  if (r.code !== expected)
    throw new Error(`zkreserve ${args.join(' ')}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

async function editJson(file: string, edit: (v: Record<string, unknown>) => void): Promise<void> {
  const v = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  edit(v);
  await writeFile(file, JSON.stringify(v, null, 2));
}

beforeAll(async () => {
  work = await tempDir('publication');
  await writeText(work, 'b.csv', CSV);
  await run(['init', 'l.db']);
  await run(['import', 'l.db', 'b.csv', '--at', AT]);
  await run(['secret', 'new', 's.secret']);
  for (const c of ['USD', 'EUR']) {
    await run([
      'prove',
      'l.db',
      '--at',
      AT,
      '--currency',
      c,
      '--secret-file',
      's.secret',
      '--insecure-dev-keys',
      '--allow-open-snapshot',
      '--out',
      c.toLowerCase(),
    ]);
  }
  await run(['signer', 'new', 'op.key', '--name', 'Example Ltd']);
  await run(['signer', 'new', 'aud.key', '--name', 'Audit LLP', '--role', 'auditor']);
  // Two more keys written directly (the command's own key files are tested below), to spare processes.
  for (const [file, k] of [
    ['aud2.key', key(3, 'Second Audit', 'auditor')],
    ['mallory.key', key(4, 'Mallory')],
  ] as const) {
    await writeFile(at(file), signerKeyText(k), { mode: 0o600 });
  }
  const line = async (file: string) => signerSetLine(parseSignerKey(await readFile(at(file), 'utf8'), file));
  const set = (lines: string[]) =>
    `{"protocol":"zkreserve/2","kind":"signers","signers":[\n${lines.join(',\n')}\n]}\n`;
  signers = await writeText(work, 'signers.json', set([await line('op.key'), await line('aud.key')]));
  signersWithAbsent = await writeText(
    work,
    'signers-absent.json',
    set([await line('op.key'), await line('aud2.key')]),
  );
  await run(['sign', 'usd', '--key', 'op.key', '--packets', 'usd-packets']);
  await run(['sign', 'usd', '--key', 'aud.key']);
  await run(['sign', 'usd', '--key', 'mallory.key']);
  // A user with a positive balance: carol (alice's is smaller; either works).
  for (const f of (await readdir(at('usd-packets'))).sort()) {
    const p = parsePacket(await readFile(at('usd-packets', f), 'utf8'));
    if (p.externalRef === 'carol') packetFile = at('usd-packets', f);
  }
}, 240_000);

describe('signer keys', () => {
  it('are written 0600, never overwritten, and refused when group or others may read them', async () => {
    expect((await stat(at('op.key'))).mode & 0o777).toBe(0o600);
    const again = await zk(['signer', 'new', 'op.key'], work);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists: refusing to overwrite/);
    await cp(at('op.key'), at('leaky.key'));
    await chmod(at('leaky.key'), 0o640);
    const leaky = await zk(['sign', 'usd', '--key', 'leaky.key'], work);
    expect(leaky.code).toBe(2);
    expect(leaky.stderr).toMatch(/accessible by group or others \(mode 0640\).*\[SIGNER_KEY\]/);
    const show = await run(['signer', 'show', 'op.key']);
    const k = parseSignerKey(await readFile(at('op.key'), 'utf8'), 'op.key');
    expect(show.stdout).toContain(`public key   ${k.publicKey}`);
    expect(show.stdout).toContain(signerSetLine(k));
    expect(show.stdout).not.toContain(k.privateKey);
    expect(await zk(['signer', 'new', 'x.key', '--role', 'custodian'], work)).toMatchObject({ code: 2 });
  });
});

describe('verify --signers --threshold', () => {
  it('2 of the pinned set signed: valid, each signer named; the unpinned one shown and not counted', async () => {
    const r = await run(['verify', 'usd', '--signers', signers, '--threshold', '2']);
    expect(r.stdout.split('\n')[0]).toMatch(/^RESULT: VALID/);
    expect(r.stdout).toMatch(/2 valid by signers pinned in .*signers.json, 2 required: threshold met/);
    expect(r.stdout).toMatch(/valid, pinned +operator "Example Ltd" key [0-9a-f ]{19}\n/);
    expect(r.stdout).toMatch(/valid, pinned +auditor "Audit LLP"/);
    expect(r.stdout).toMatch(
      /valid, not pinned +operator "Mallory" .*: not in the pinned set, does not count/,
    );
  }, 60_000);

  it('threshold not met (a pinned auditor did not sign): INVALID, exit 1; --json says why', async () => {
    const r = await run(['verify', 'usd', '--signers', signersWithAbsent, '--threshold', '2', '--json'], 1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.errors.at(-1)).toMatch(/1 valid signature by signers pinned .* 2 required/);
    // aud signed but is not pinned in this set; aud2 is pinned but did not sign.
    expect(report.publication.check.signers.map((s: { status: string }) => s.status)).toEqual([
      'valid-pinned',
      'valid-unpinned',
      'valid-unpinned',
    ]);
  }, 60_000);

  it('without --signers the signatures are shown as not pinned; --threshold alone is a usage error', async () => {
    const r = await run(['verify', 'usd']);
    expect(r.stdout).toMatch(/3 signers \(not pinned: pass --signers/);
    expect((await zk(['verify', 'usd', '--threshold', '1'], work)).code).toBe(2);
    expect((await zk(['verify', 'usd', '--signers', signers, '--threshold', '3'], work)).stderr).toMatch(
      /more than the 2 signers/,
    );
  }, 60_000);

  it('a manifest claim edited after signing (the ceremony transcript, which no proof covers) breaks every signature', async () => {
    await cp(at('usd'), at('usd-edited'), { recursive: true });
    await editJson(at('usd-edited', 'manifest.json'), (m) => {
      (m.keys as { transcript: { name: string }[] }).transcript[0]!.name = 'A Trusted Ceremony';
    });
    const r = await run(['verify', 'usd-edited', '--signers', signers], 1);
    expect(r.stdout).toMatch(/0 valid by signers pinned .* 1 required: THRESHOLD NOT MET/);
    expect(
      r.stdout.match(
        /INVALID +\S+ "[^"]*" key [0-9a-f ]{19}: it signs digest .* the data changed after it was signed/g,
      ),
    ).toHaveLength(3);
    expect(r.stdout).toMatch(/proofs +3 Groth16 proofs checked/);
  }, 60_000);

  it('a public signal edited after signing breaks the signatures too', async () => {
    await cp(at('usd'), at('usd-signal'), { recursive: true });
    const pub = at('usd-signal', 'proofs', 'solvency', 'public.json');
    const s = JSON.parse(await readFile(pub, 'utf8')) as string[];
    s[2] = (BigInt(s[2]!) + 1n).toString();
    await writeFile(pub, JSON.stringify(s));
    const r = await run(['verify', 'usd-signal', '--signers', signers, '--json'], 1);
    const statuses = JSON.parse(r.stdout).publication.check.signers.map((x: { status: string }) => x.status);
    expect(statuses).toEqual(['invalid', 'invalid', 'invalid']);
  }, 60_000);
});

describe('signed packets in verify-inclusion', () => {
  it("a signed packet: INCLUDED, with the operator's fingerprint, pinned and the bundle's operator", async () => {
    const packet = parsePacket(await readFile(packetFile, 'utf8'));
    expect(packet.signature).toBeDefined();
    expect((await stat(packetFile)).mode & 0o777).toBe(0o600);
    const key = parseSignerKey(await readFile(at('op.key'), 'utf8'), 'op.key');
    const r = await run(['verify-inclusion', packetFile, '--bundle', 'usd', '--signers', signers]);
    expect(r.stdout.split('\n')[0]).toMatch(/^INCLUDED/);
    expect(r.stdout).toMatch(
      /packet signature valid, key [0-9a-f ]{19} .*pinned as operator "Example Ltd"; the key that signed this bundle as operator/,
    );
    expect(packet.signature!.publicKey).toBe(key.publicKey);
    expect(r.stdout).not.toMatch(/TRANSFERABLE EVIDENCE/);
  }, 60_000);

  it('a signed packet whose balance the user raised: refused, the signature INVALID, no evidence', async () => {
    const p = JSON.parse(await readFile(packetFile, 'utf8'));
    p.balance = (BigInt(p.balance) + 100n).toString();
    const file = await writeText(work, 'raised.json', JSON.stringify(p));
    const r = await run(['verify-inclusion', file, '--bundle', 'usd', '--json'], 1);
    const j = JSON.parse(r.stdout);
    expect(j.included).toBe(false);
    expect(j.packetSignature).toMatchObject({ signed: true, valid: false, evidence: false });
    const text = await run(['verify-inclusion', file, '--bundle', 'usd'], 1);
    expect(text.stdout).toMatch(/packet signature INVALID.*does not verify/);
    expect(text.stdout).not.toMatch(/TRANSFERABLE EVIDENCE/);
  }, 60_000);

  it('a packet the operator signed with a wrong balance: NOT INCLUDED, and transferable evidence', async () => {
    // Attack by the operator: it hands the user a packet showing the right balance, but the leaf it committed
    // holds another one. Here: the operator signs a packet whose balance is not the committed one.
    const key = parseSignerKey(await readFile(at('op.key'), 'utf8'), 'op.key');
    const p = parsePacket(await readFile(packetFile, 'utf8'));
    const digest = p.signature!.bundleDigest;
    const lie = signPacket({ ...p, balance: (BigInt(p.balance) + 5000n).toString() }, digest, key);
    const file = await writeText(work, 'lie.json', JSON.stringify(lie));
    const r = await run(['verify-inclusion', file, '--bundle', 'usd', '--signers', signers], 1);
    expect(r.stdout.split('\n')[0]).toMatch(/^NOT INCLUDED: leaf:/);
    expect(r.stdout).toMatch(/packet signature valid/);
    expect(r.stdout).toMatch(
      /TRANSFERABLE EVIDENCE: the operator signed this packet, and it is not included/,
    );
    const j = JSON.parse((await run(['verify-inclusion', file, '--bundle', 'usd', '--json'], 1)).stdout);
    expect(j.packetSignature).toMatchObject({ valid: true, bundleOperator: true, evidence: true });
  }, 60_000);

  it('--packets refuses an auditor key and a packet of another bundle, leaving everything as it was', async () => {
    expect((await zk(['sign', 'eur', '--key', 'aud.key', '--packets', 'eur-packets'], work)).code).toBe(2);
    const r = await zk(['sign', 'eur', '--key', 'op.key', '--packets', 'usd-packets'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a packet of this bundle/);
    await expect(stat(at('eur', 'signatures.json'))).rejects.toThrow(/ENOENT/);
  }, 60_000);
});

describe('the snapshot index', () => {
  it('lists both currencies, verifies with the pinned operator, and refuses a bundle changed after', async () => {
    await run(['sign', 'eur', '--key', 'op.key']);
    await run(['index', 'usd', 'eur', '--out', 'index.json', '--key', 'op.key']);
    await run(['sign', 'index.json', '--key', 'aud.key']);
    const index = JSON.parse(await readFile(at('index.json'), 'utf8'));
    expect(index.bundles.map((b: { currency: string; path: string }) => [b.currency, b.path])).toEqual([
      ['EUR', 'eur'],
      ['USD', 'usd'],
    ]);
    const ok = await run(['verify-index', 'index.json', '--signers', signers, '--threshold', '2']);
    expect(ok.stdout).toMatch(/^RESULT: VALID: the index and the 2 bundles it lists match/);
    expect(ok.stdout).toMatch(/EUR +digest matches +eur/);
    // The EUR bundle is replaced after the index was signed (its manifest reserves claim edited).
    await cp(at('eur'), at('eur-orig'), { recursive: true });
    await editJson(
      at('eur', 'manifest.json'),
      (m) => void (m.users = { ...(m.users as object), revealed: 'x' }),
    );
    const bad = await run(['verify-index', 'index.json', '--signers', signers], 1);
    expect(bad.stdout).toMatch(/EUR +MISMATCH: its digest is [0-9a-f]{64}, the index lists [0-9a-f]{64}/);
    // Editing the index to the new digest breaks its signatures instead.
    await editJson(at('index.json'), (v) => {
      const eur = (v.bundles as { currency: string; digest: string }[]).find((b) => b.currency === 'EUR')!;
      eur.digest = /its digest is ([0-9a-f]{64})/.exec(bad.stdout)![1]!;
    });
    const forged = await run(['verify-index', 'index.json', '--signers', signers], 1);
    expect(forged.stdout).toMatch(/0 valid by signers pinned .* THRESHOLD NOT MET/);
    await cp(at('eur-orig'), at('eur'), { recursive: true, force: true });
  }, 120_000);

  it('refuses two bundles of one currency, and bundles of different snapshot times', async () => {
    await cp(at('usd'), at('usd-copy'), { recursive: true });
    const twice = await zk(['index', 'usd', 'usd-copy', '--out', 'i2.json', '--key', 'op.key'], work);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/two bundles of USD/);
    await cp(at('eur-orig'), at('eur-later'), { recursive: true });
    await editJson(at('eur-later', 'manifest.json'), (m) => {
      m.snapshotTime = '2026-07-01T00:00:00.000Z';
      m.snapshotTimeMs = String(Date.parse('2026-07-01T00:00:00.000Z'));
    });
    const times = await zk(['index', 'usd', 'eur-later', '--out', 'i3.json', '--key', 'op.key'], work);
    expect(times.code).toBe(2);
    expect(times.stderr).toMatch(/different snapshot times.*\[SNAPSHOT_INDEX\]/);
  }, 60_000);
});
