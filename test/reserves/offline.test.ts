// Offline verification of reserve evidence: each kind accepted, and every refusal (bad signature, last
// round's challenge, wrong address, listed twice, wrong asset, outside the window, unpinned custodian,
// shortfall). EVM signatures are made by two wallet libraries (viem and ethers) and checked by zkreserve.
import { Wallet } from 'ethers';
import { describe, expect, it } from 'vitest';
import { addEvidence } from '../../src/reserves/add-evidence.js';
import { reservesChallenge } from '../../src/reserves/challenge.js';
import {
  EvidenceRefusedError,
  InvalidChallengeError,
  InvalidEvidenceError,
} from '../../src/reserves/errors.js';
import { parseEvidence } from '../../src/reserves/evidence.js';
import { verifyReservesEvidence } from '../../src/reserves/verify-evidence.js';
import {
  CUSTODIAN,
  OPERATOR,
  at,
  challengeOf,
  custodianItem,
  evidenceFor,
  evmItem,
  hexKey,
  pinned,
  round,
} from './support.js';

const ONE_ETH = 10n ** 18n;
const eth = round('ETH', 18, 2n * ONE_ETH);
const lastRound = round('ETH', 18, 2n * ONE_ETH, 68);
const usd = round('USD', 2, 50_000_000n);

describe('the challenge', () => {
  it('has the documented bytes', () => {
    const c = reservesChallenge({
      operator: 'Example Exchange',
      currency: 'ETH',
      snapshotTime: '2026-06-30T14:00:00+02:00',
      auditHead: { sequence: 69, hash: 'ab'.repeat(32) },
    });
    expect(c).toBe(
      'zkreserve/2 reserves challenge\noperator: Example Exchange\ncurrency: ETH\n' +
        `snapshot: 2026-06-30T12:00:00.000Z\naudit head: #69 ${'ab'.repeat(32)}`,
    );
  });
  it('refuses a non-printable, padded or over-long operator name', () => {
    const base = { currency: 'ETH', snapshotTime: 0, auditHead: { sequence: 1, hash: '00'.repeat(32) } };
    for (const operator of ['', ' X', 'X ', 'Ex\nchange', 'Exchänge', 'x'.repeat(65), 'a\u202eb']) {
      expect(() => reservesChallenge({ ...base, operator })).toThrow(InvalidChallengeError);
    }
    expect(reservesChallenge({ ...base, operator: 'x'.repeat(64) })).toContain('operator: ' + 'x'.repeat(64));
  });
  it('differs between rounds (audit head), operators and currencies', () => {
    const set = new Set([
      challengeOf(eth),
      challengeOf(lastRound),
      challengeOf(eth, 'Other'),
      challengeOf(usd),
    ]);
    expect(set.size).toBe(4);
  });
});

describe('EVM items', () => {
  it('a viem and an ethers personal_sign signature both verify and count', async () => {
    const c = challengeOf(eth);
    const wallet = new Wallet(hexKey('ethers'));
    const viaEthers = await evmItem('ethers', c, {
      address: wallet.address,
      signature: await wallet.signMessage(c),
    });
    const r = await verifyReservesEvidence({
      ...eth,
      reserves: evidenceFor(eth, [await evmItem('a', c), viaEthers]),
    });
    expect(r.items.map((i) => i.status)).toEqual(['verified', 'verified']);
    expect(r).toMatchObject({
      ok: true,
      covered: true,
      evidenced: (2n * ONE_ETH).toString(),
      shortfall: '0',
    });
  });
  it('refuses a tampered signature, another address, and last round challenge', async () => {
    const c = challengeOf(eth);
    const good = await evmItem('a', c);
    const tampered = {
      ...good,
      signature:
        good.signature.slice(0, 10) + (good.signature[10] === '0' ? '1' : '0') + good.signature.slice(11),
    };
    const other = await evmItem('b', c, { address: (await evmItem('c', c)).address });
    // Replay: a signature over the previous round's challenge (another audit head) does not count now.
    const replay = await evmItem('d', challengeOf(lastRound));
    const r = await verifyReservesEvidence({ ...eth, reserves: evidenceFor(eth, [tampered, other, replay]) });
    expect(r.items.map((i) => i.status)).toEqual(['failed', 'failed', 'failed']);
    for (const i of r.items.slice(1)) expect(i.reason).toMatch(/not by 0x/);
    expect(r.items[0]!.reason).toMatch(/not by 0x|malformed/);
    expect(r).toMatchObject({
      ok: false,
      evidenced: '0',
      covered: false,
      shortfallMajor: '2.000000000000000000',
    });
  });
  it('refuses an address listed twice (counted once)', async () => {
    const c = challengeOf(eth);
    const a = await evmItem('a', c);
    const r = await verifyReservesEvidence({
      ...eth,
      reserves: evidenceFor(eth, [a, { ...a, address: a.address.toLowerCase() }, await evmItem('b', c)]),
    });
    expect(r.items.map((i) => i.status)).toEqual(['verified', 'failed', 'verified']);
    expect(r.items[1]!.reason).toMatch(/listed twice.*items\[0\]/);
  });
  it('refuses a wrong asset unless the evidence maps it, and shows the mapping as declared', async () => {
    const c = challengeOf(eth);
    const token = await evmItem('a', c, { asset: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' }); // USDC, not ETH
    const testnet = await evmItem('b', c, { chainId: 1337 });
    let r = await verifyReservesEvidence({ ...eth, reserves: evidenceFor(eth, [token, testnet]) });
    expect(r.items.map((i) => i.status)).toEqual(['failed', 'failed']);
    expect(r.items[0]!.reason).toMatch(/wrong asset: token 0xa0b8.* is not ETH/);
    r = await verifyReservesEvidence({
      ...eth,
      reserves: evidenceFor(eth, [testnet], { assets: [{ kind: 'evm', chainId: 1337, asset: 'native' }] }),
    });
    expect(r.items[0]).toMatchObject({ status: 'verified', assetSource: 'declared' });
  });
  it('refuses a block time outside the declared window', async () => {
    const c = challengeOf(eth);
    const early = await evmItem('a', c, { blockTime: at(-3601) });
    const late = await evmItem('b', c, { blockTime: at(3601) });
    const edge = await evmItem('e', c, { blockTime: at(3600) });
    const r = await verifyReservesEvidence({ ...eth, reserves: evidenceFor(eth, [early, late, edge]) });
    expect(r.items.map((i) => i.status)).toEqual(['failed', 'failed', 'verified']);
    expect(r.items[0]!.reason).toMatch(
      /outside the declared window 2026-06-30T11:00:00.000Z \.\. 2026-06-30T13:00:00.000Z/,
    );
  });
  it('shows a contract wallet as unverified offline (not counted)', async () => {
    const c = challengeOf(eth);
    const r = await verifyReservesEvidence({
      ...eth,
      reserves: evidenceFor(eth, [await evmItem('a', c, { contract: true, signature: '0x1234' })]),
    });
    expect(r.items[0]).toMatchObject({
      status: 'unverified',
      reason: expect.stringMatching(/EIP-1271.*--rpc/),
    });
    expect(r.evidenced).toBe('0');
  });
  it('reports the shortfall in major units', async () => {
    const c = challengeOf(eth);
    const r = await verifyReservesEvidence({
      ...eth,
      reserves: evidenceFor(eth, [await evmItem('a', c, { balance: '1250000000000000000' })]),
    });
    expect(r).toMatchObject({
      ok: false,
      covered: false,
      shortfall: '750000000000000000',
      shortfallMajor: '0.750000000000000000',
    });
    expect(r.counts).toEqual({ verified: 1, unverified: 0, failed: 0 });
  });
});

describe('custodian statements', () => {
  it('a pinned custodian statement verifies and counts', async () => {
    const r = await verifyReservesEvidence(
      { ...usd, reserves: evidenceFor(usd, [custodianItem(challengeOf(usd))]) },
      { custodians: pinned() },
    );
    expect(r).toMatchObject({ ok: true, covered: true, evidenced: '50000000' });
  });
  it('an unpinned custodian is unverified and not counted', async () => {
    const r = await verifyReservesEvidence({
      ...usd,
      reserves: evidenceFor(usd, [custodianItem(challengeOf(usd))]),
    });
    expect(r.items[0]).toMatchObject({ status: 'unverified', reason: expect.stringMatching(/not pinned/) });
    expect(r).toMatchObject({ ok: false, evidenced: '0', shortfallMajor: '500000.00' });
  });
  it('refuses a key that is not the pinned one, a tampered amount, last round, another currency, a duplicate', async () => {
    const c = challengeOf(usd);
    const otherKey = custodianItem(c, {}, 'impostor');
    const tampered = { ...custodianItem(c, { account: 'b' }), amount: '90000000' };
    const replay = custodianItem(challengeOf(round('USD', 2, 1n, 68)), { account: 'c' });
    const eur = custodianItem(c, { account: 'd', currency: 'EUR' });
    const dup = custodianItem(c, { account: 'e' });
    const r = await verifyReservesEvidence(
      { ...usd, reserves: evidenceFor(usd, [otherKey, tampered, replay, eur, dup, dup]) },
      { custodians: pinned() },
    );
    expect(r.items.map((i) => [i.status, i.reason.slice(0, 24)])).toEqual([
      ['failed', 'signed with key ' + r.items[0]!.reason.slice(16, 24)],
      ['failed', 'Ed25519 signature is not'],
      ['failed', 'statement is over anothe'],
      ['failed', 'wrong asset: statement i'],
      ['verified', ''],
      ['failed', 'listed twice (same holdi'],
    ]);
    expect(CUSTODIAN).toBe('Demo Trust Bank');
  });
});

describe('the evidence file', () => {
  it('says not evidenced when absent', async () => {
    const r = await verifyReservesEvidence(eth);
    expect(r).toMatchObject({ present: false, ok: false, items: [] });
  });
  it("refuses evidence whose challenge is not this round's", async () => {
    const c = challengeOf(lastRound);
    const r = await verifyReservesEvidence({
      ...eth,
      reserves: { ...evidenceFor(eth, [await evmItem('a', challengeOf(eth))]), challenge: c },
    });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/not this round's/);
  });
  it('refuses malformed evidence with the field named', () => {
    expect(() => parseEvidence({ ...evidenceFor(eth, []), extra: 1 })).toThrow(/unknown field "extra"/);
    expect(() =>
      parseEvidence({ ...evidenceFor(eth, []), window: { beforeSeconds: -1, afterSeconds: 1 } }),
    ).toThrow(InvalidEvidenceError);
    expect(() => parseEvidence(evidenceFor(eth, [{ kind: 'evm', balance: '1' } as never]))).toThrow(
      /items\[0\]\.asset/,
    );
    expect(() => parseEvidence({ ...evidenceFor(eth, []), operator: 'bad\u0000' })).toThrow(/operator/);
  });
});

describe('adding evidence', () => {
  it('appends good items and refuses a bad one, naming it, without changing the evidence', async () => {
    const c = challengeOf(eth);
    const first = await addEvidence(eth, evidenceFor(eth, [await evmItem('a', c)]));
    expect(first.evidence.items).toHaveLength(1);
    const bundle = { ...eth, reserves: first.evidence };
    const bad = await evmItem('b', challengeOf(lastRound));
    await expect(addEvidence(bundle, evidenceFor(eth, [await evmItem('c', c), bad]))).rejects.toThrow(
      /items\[1\] evm chain 1 0x[0-9a-fA-F]+ native: signature over this round's challenge is not by/,
    );
    await expect(addEvidence(bundle, evidenceFor(eth, [await evmItem('a', c)]))).rejects.toThrow(
      /listed twice/,
    );
    await expect(addEvidence(bundle, { ...evidenceFor(eth, []), operator: 'Other' })).rejects.toThrow(
      EvidenceRefusedError,
    );
    const second = await addEvidence(bundle, evidenceFor(eth, [await evmItem('c', c)]));
    expect(second.evidence.items.map((i) => i.kind)).toEqual(['evm', 'evm']);
    expect(second.report.ok).toBe(true);
    expect(first.evidence.items).toHaveLength(1);
    expect(OPERATOR).toBe(first.evidence.operator);
  });
});
