import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSafeText, jsonSafe, safeText } from '../../src/terminal/safe-text.js';
import { out, printJson } from '../../src/terminal/output.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('safeText', () => {
  it('shows controls, C1, DEL, bidi, separators and lone surrogates as \\u{..} escapes', () => {
    expect(safeText('a\u001bPb')).toBe('a\\u{1b}Pb');
    expect(safeText('\n\t\r\u007f\u0085\u009b')).toBe('\\u{a}\\u{9}\\u{d}\\u{7f}\\u{85}\\u{9b}');
    expect(safeText('\u202a\u202e\u2066\u2069\u200e\u200f\u061c')).toBe(
      '\\u{202a}\\u{202e}\\u{2066}\\u{2069}\\u{200e}\\u{200f}\\u{61c}',
    );
    expect(safeText('\u2028\u2029\u200b\ufeff')).toBe('\\u{2028}\\u{2029}\\u{200b}\\u{feff}');
    expect(safeText('x\ud800y')).toBe('x\\u{d800}y');
  });

  it('leaves printable text alone, accents and emoji included', () => {
    for (const s of ['alice', 'Smith, Bob', 'Zoë', '🦊', '日本', 'a\\u{1b}']) {
      expect(safeText(s)).toBe(s);
      expect(isSafeText(s)).toBe(true);
    }
    expect(isSafeText('a\u202e')).toBe(false);
  });
});

describe('jsonSafe', () => {
  it('escapes what JSON.stringify leaves raw, keeping the same JSON value and its newlines', () => {
    const v = { s: 'a\u009b\u202e\u2028\u007f\u001b' };
    const text = jsonSafe(JSON.stringify(v, null, 2));
    expect(text).toBe('{\n  "s": "a\\u009b\\u202e\\u2028\\u007f\\u001b"\n}');
    expect(JSON.parse(text)).toEqual(v);
  });
});

describe('out and printJson escape structurally', () => {
  it('out prints one line whatever the value holds; printJson no raw C1 or bidi', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    out('ref \u001bP\nRESULT: VALID\u202e');
    printJson({ ref: '\u009b2J\u202e' });
    expect(written[0]).toBe('ref \\u{1b}P\\u{a}RESULT: VALID\\u{202e}\n');
    expect(written[1]).toBe('{\n  "ref": "\\u009b2J\\u202e"\n}\n');
  });
});

describe('the CLI and the demo write only through src/terminal', () => {
  it('no direct process.stdout/stderr.write or console call in src/cli or src/demo', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const root = path.resolve(import.meta.dirname, '../../src');
    const offenders: string[] = [];
    for (const dir of ['cli', 'demo']) {
      for (const f of readdirSync(path.join(root, dir), { recursive: true }) as string[]) {
        if (!f.endsWith('.ts')) continue;
        const text = readFileSync(path.join(root, dir, f), 'utf8');
        if (/process\.(stdout|stderr)\.write|console\.\w+\(/.test(text)) offenders.push(`${dir}/${f}`);
      }
    }
    // run.ts hands commander writers that escape (safeLines); nothing else may write raw.
    expect(offenders).toEqual(['cli/run.ts']);
  });
});
