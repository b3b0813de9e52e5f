import { afterEach, describe, expect, it, vi } from 'vitest';
import { banner, formatMinor, printJson } from '../../src/terminal/output.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('banner', () => {
  it('frames every line in a 78-column box and wraps long text at word boundaries', () => {
    const lines: string[] = [];
    const long = 'word '.repeat(40).trim();
    banner(['SHORT', long], (l) => lines.push(l));
    expect(lines[0]).toBe('!'.repeat(78));
    expect(lines[lines.length - 1]).toBe('!'.repeat(78));
    expect(lines[1]).toBe(`!! ${'SHORT'.padEnd(72)} !!`);
    for (const l of lines) expect(l).toHaveLength(78);
    const body = lines.slice(2, -1).map((l) => l.slice(3, -3).trim());
    expect(body.length).toBeGreaterThan(1);
    expect(body.join(' ')).toBe(long);
  });

  it('writes to stderr unless told otherwise', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    banner(['x']);
    expect(written).toEqual([`${'!'.repeat(78)}\n`, `!! ${'x'.padEnd(72)} !!\n`, `${'!'.repeat(78)}\n`]);
  });
});

describe('printJson and formatMinor', () => {
  it('prints bigints as decimal strings, two-space indented, on stdout', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    printJson({ a: 12345678901234567890n, b: [1] });
    expect(written.join('')).toBe('{\n  "a": "12345678901234567890",\n  "b": [\n    1\n  ]\n}\n');
  });

  it('formats minor units given as a bigint or a decimal string', () => {
    expect(formatMinor(123456n, 2)).toBe('1234.56');
    expect(formatMinor('-5', 2)).toBe('-0.05');
    expect(formatMinor('1000000000000000000', 18)).toBe('1.000000000000000000');
    expect(() => formatMinor('1.5', 2)).toThrow(SyntaxError);
  });
});
