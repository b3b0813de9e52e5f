// The demo command maps a failed demo check to exit 1 with the demo's own message (src/demo/ knows no CLI).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoFailedError } from '../../src/demo/errors.js';

const runDemo = vi.hoisted(() => vi.fn());
vi.mock('../../src/demo/run.js', () => ({ runDemo }));

const { runCli } = await import('../../src/cli/run.js');

function captureStderr(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

afterEach(() => {
  vi.restoreAllMocks();
  runDemo.mockReset();
});

describe('zkreserve demo', () => {
  it('exits 1 with "demo FAILED" and every failure when a check fails', async () => {
    runDemo.mockRejectedValue(new DemoFailedError(['snarkjs USD L0-000000: bad', 'inclusion of u1: no']));
    const stderr = captureStderr();
    expect(await runCli(['demo', '--out', 'x'])).toBe(1);
    expect(runDemo).toHaveBeenCalledWith({ outDir: 'x' });
    expect(stderr.join('')).toBe('demo FAILED:\n  snarkjs USD L0-000000: bad\n  inclusion of u1: no\n');
  });

  it('exits 0 when the demo passes, and 2 with the error line for any other error', async () => {
    runDemo.mockResolvedValue(undefined);
    expect(await runCli(['demo'])).toBe(0);
    expect(runDemo).toHaveBeenCalledWith({ outDir: 'demo-output' });
    runDemo.mockRejectedValue(new Error('disk full'));
    const stderr = captureStderr();
    expect(await runCli(['demo'])).toBe(2);
    expect(stderr.join('')).toContain('error: disk full');
  });
});
