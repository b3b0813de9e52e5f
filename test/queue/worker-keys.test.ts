// Which key sets `zkreserve worker` serves without --keys: with --insecure-dev-keys, the dev families by default,
// and any family named with --family, production ones included (as `prove --insecure-dev-keys --family` proves
// with them). The production-size dev keys come from the insecure 2^16 test ptau: a worker asked for them on a
// machine without it is refused with the file and the variable named, not told they do not exist.
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkerKeySets } from '../../src/queue/worker-keys.js';
import { QueueWorkerKeysError } from '../../src/queue/errors.js';
import { TestPtauMissingError } from '../../src/setup/errors.js';
import { TEST_PTAU16_ENV } from '../../src/setup/test-ptau.js';

const saved = process.env[TEST_PTAU16_ENV];
afterEach(() => {
  if (saved === undefined) delete process.env[TEST_PTAU16_ENV];
  else process.env[TEST_PTAU16_ENV] = saved;
});

describe('worker key sets from the insecure dev keys', () => {
  it('serves the dev families by default', async () => {
    const sets = await loadWorkerKeySets({ insecureDevKeys: true });
    expect(sets.map((s) => s.family.id).sort()).toEqual(['b100-n8-k8', 'b64-n8-k8']);
    expect(sets.every((s) => s.insecure)).toBe(true);
  });

  it('serves only the named families', async () => {
    const sets = await loadWorkerKeySets({ insecureDevKeys: true, families: ['b64-n8-k8'] });
    expect(sets.map((s) => s.family.id)).toEqual(['b64-n8-k8']);
  });

  it('makes a named production family from the test ptau: without that file, the refusal names it', async () => {
    process.env[TEST_PTAU16_ENV] = '/nonexistent/zkreserve-test-16.ptau';
    const e = await loadWorkerKeySets({ insecureDevKeys: true, families: ['b64-n128-k16'] }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(TestPtauMissingError);
    expect((e as Error).message).toMatch(/\/nonexistent\/zkreserve-test-16\.ptau.*ZKRESERVE_TEST_PTAU16/);
  });

  it('refuses an unknown family and, without --insecure-dev-keys, the dev keys', async () => {
    await expect(loadWorkerKeySets({ insecureDevKeys: true, families: ['b64-n9-k9'] })).rejects.toThrow(
      /unknown circuit family "b64-n9-k9"/,
    );
    await expect(loadWorkerKeySets({})).rejects.toBeInstanceOf(QueueWorkerKeysError);
  });
});
