// The worked example in docs/ledger.md must be what the code computes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, computeEventHash, eventHashInput, openMemoryLedger } from '../../src/index.js';

const doc = readFileSync(new URL('../../docs/ledger.md', import.meta.url), 'utf8');

function exampleBlock(name = 'example-event'): Record<string, string> {
  const m = new RegExp(`<!-- ${name}:begin -->\\s*\`\`\`text\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (!m) throw new Error('example block not found in docs/ledger.md');
  return Object.fromEntries(
    m[1]!
      .trim()
      .split('\n')
      .map((line) => {
        const i = line.indexOf(' ');
        return [line.slice(0, i), line.slice(i + 1)];
      }),
  );
}

describe('docs/ledger.md worked example', () => {
  it('matches eventHashInput, SHA-256 and a real ledger', () => {
    const f = exampleBlock();
    const input = eventHashInput(Number(f.sequence), f.type!, f.payload!, Number(f.at), f.prevHash!);
    expect(input.toString('hex')).toBe(f.input);
    expect(createHash('sha256').update(Buffer.from(f.input!, 'hex')).digest('hex')).toBe(f.hash);
    expect(computeEventHash(Number(f.sequence), f.type!, f.payload!, Number(f.at), f.prevHash!)).toBe(f.hash);
    expect(f.prevHash).toBe(GENESIS_HASH);

    const l = openMemoryLedger();
    l.openAccount('USER', 'USD', 'alice', { openedAt: '2026-01-01T00:00:00Z' });
    const [e] = [...l.auditEvents()];
    expect(e).toEqual({
      sequence: Number(f.sequence),
      type: f.type,
      at: Number(f.at),
      payload: f.payload,
      prevHash: f.prevHash,
      hash: f.hash,
    });
  });

  it('matches the CURRENCY_REGISTERED example', () => {
    const f = exampleBlock('example-currency-event');
    const input = eventHashInput(Number(f.sequence), f.type!, f.payload!, Number(f.at), f.prevHash!);
    expect(input.toString('hex')).toBe(f.input);
    expect(createHash('sha256').update(input).digest('hex')).toBe(f.hash);
    const l = openMemoryLedger();
    l.registerCurrency('ACME', 4, { at: '2026-01-01T00:00:00Z' });
    expect([...l.auditEvents()]).toEqual([
      {
        sequence: Number(f.sequence),
        type: f.type,
        at: Number(f.at),
        payload: f.payload,
        prevHash: f.prevHash,
        hash: f.hash,
      },
    ]);
  });
});
