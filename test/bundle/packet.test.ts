// The one packet parser (src/bundle/packet.ts): a well-formed packet comes back field for field; every field
// with the wrong type or missing is refused with a typed error naming it; readPacket (the CLI's) uses it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BundleReadError, PacketFormatError } from '../../src/bundle/errors.js';
import type { InclusionPacket } from '../../src/bundle/format.js';
import { parsePacket } from '../../src/bundle/packet.js';
import { readPacket } from '../../src/bundle-io/read.js';

const GOOD: InclusionPacket = {
  protocol: 'zkreserve/2',
  currency: 'USD',
  snapshotTime: '2026-06-30T12:00:00.000Z',
  snapshotTimeMs: '1782820800000',
  accountId: '24e0577033265d98c35beaa5701109c65cce4ee2552cccf670a79cfdb0652649',
  externalRef: 'golden-usd-2',
  balance: '3037',
  salt: '449990106591859040188388133894500790121585251964631235379587432014515404322',
  chunk: 0,
  leaf: 3,
  siblings: [['1', '2', '3']],
  root: '16881698020319462478997612252490362858240263831128757214411366765683142952543',
  sumCommit: '17707643338435466806063233250572028265686682276191766642985142527812649586142',
};

const STRING_FIELDS = [
  'protocol',
  'currency',
  'snapshotTime',
  'snapshotTimeMs',
  'accountId',
  'externalRef',
  'balance',
  'salt',
  'root',
  'sumCommit',
] as const;

function refusal(input: unknown): PacketFormatError {
  try {
    parsePacket(input, 'p.json');
  } catch (e) {
    expect(e).toBeInstanceOf(PacketFormatError);
    return e as PacketFormatError;
  }
  throw new Error('the packet was accepted');
}

describe('parsePacket', () => {
  it('returns a well-formed packet, from JSON text or a parsed value, field for field', () => {
    expect(parsePacket(JSON.stringify(GOOD))).toEqual(GOOD);
    expect(parsePacket(structuredClone(GOOD))).toEqual(GOOD);
    // A copy: later changes to the input do not reach the packet; unknown extra fields are left out.
    const input = { ...structuredClone(GOOD), extra: 1 };
    const parsed = parsePacket(input);
    input.siblings[0]![0] = '9';
    expect(parsed).toEqual(GOOD);
    expect(Object.keys(parsed)).toEqual(Object.keys(GOOD));
  });

  it('refuses text that is not JSON with a BundleReadError naming the source', () => {
    expect(() => parsePacket('{"protocol":', 'p.json')).toThrow(BundleReadError);
    expect(() => parsePacket('{"protocol":', 'p.json')).toThrow(/^p\.json is not valid JSON: /);
  });

  it('refuses a value that is not an object', () => {
    for (const v of [null, [], 'null', '[]', '3', 3, true]) {
      const e = refusal(v);
      expect(e.field).toBeNull();
      expect(e.code).toBe('PACKET_FORMAT');
      expect(e.message).toMatch(/^p\.json is not a zkreserve inclusion packet: it must be a JSON object/);
    }
  });

  it.each(STRING_FIELDS)('refuses %s missing or not a string', (field) => {
    for (const v of [undefined, 5, null, ['x'], { x: 1 }]) {
      const p = { ...structuredClone(GOOD) } as Record<string, unknown>;
      if (v === undefined) delete p[field];
      else p[field] = v;
      const e = refusal(p);
      expect(e.field).toBe(field);
      expect(e.message).toContain(`${field} must be a string, got `);
    }
  });

  it.each(['chunk', 'leaf'] as const)('refuses %s missing or not a number', (field) => {
    for (const v of [undefined, '0', null, [0]]) {
      const p = { ...structuredClone(GOOD) } as Record<string, unknown>;
      if (v === undefined) delete p[field];
      else p[field] = v;
      const e = refusal(p);
      expect(e.field).toBe(field);
      expect(e.message).toContain(`${field} must be a number, got `);
    }
  });

  it('refuses siblings that are not a list of lists of strings, naming the bad element', () => {
    const missing = { ...structuredClone(GOOD) } as Record<string, unknown>;
    delete missing.siblings;
    expect(refusal(missing).field).toBe('siblings');
    const flat = refusal({ ...structuredClone(GOOD), siblings: ['1', '2'] });
    expect(flat.field).toBe('siblings[0]');
    expect(flat.message).toContain('siblings[0] must be a list of strings, got "1"');
    const notList = refusal({ ...structuredClone(GOOD), siblings: '1,2' });
    expect(notList.message).toContain('siblings must be a list of levels, got "1,2"');
    const number = refusal({ ...structuredClone(GOOD), siblings: [['1'], ['2', 3]] });
    expect(number.field).toBe('siblings[1][1]');
    expect(number.message).toContain('siblings[1][1] must be a string, got 3');
  });

  it('names a missing field as missing, and shortens a long value', () => {
    const p = { ...structuredClone(GOOD) } as Record<string, unknown>;
    delete p.salt;
    expect(refusal(p).message).toBe(
      'p.json is not a zkreserve inclusion packet: salt must be a string, got nothing (the field is missing)',
    );
    const long = refusal({ ...structuredClone(GOOD), chunk: 'x'.repeat(500) }).message;
    expect(long.length).toBeLessThan(200);
    expect(long).toMatch(/chunk must be a number, got "x+\.\.\.$/);
  });
});

describe('readPacket (the CLI and the library on disk) uses the checked parser', () => {
  it('reads a good packet, and refuses a bad field or bad JSON naming the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'zkreserve-packet-'));
    const good = path.join(dir, 'good.json');
    await writeFile(good, JSON.stringify(GOOD, null, 2));
    expect(await readPacket(good)).toEqual(GOOD);
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...GOOD, balance: 3037 }));
    await expect(readPacket(bad)).rejects.toThrow(PacketFormatError);
    await expect(readPacket(bad)).rejects.toThrow(
      `${bad} is not a zkreserve inclusion packet: balance must be a string, got 3037`,
    );
    const text = path.join(dir, 'text.json');
    await writeFile(text, 'not json');
    await expect(readPacket(text)).rejects.toThrow(BundleReadError);
    await expect(readPacket(text)).rejects.toThrow(`${text} is not valid JSON`);
    await expect(readPacket(path.join(dir, 'none.json'))).rejects.toThrow(/^cannot read .*none\.json/);
  });
});
