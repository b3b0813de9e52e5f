// The queue's plain parts, without Redis: the URL (passwords never shown), queue names and job ids, the
// run id, and the worker's validation of a payload read from Redis.
import { describe, expect, it } from 'vitest';
import { QueueJobRefusedError, QueueUrlError } from '../../src/queue/errors.js';
import { JOB_FORMAT, checkJobData, keySetQueueName, proofJobId } from '../../src/queue/job-data.js';
import type { ProofJobData } from '../../src/queue/job-data.js';
import { parseRedisUrl, redactUrl } from '../../src/queue/redis-url.js';
import { queueTarget } from '../../src/queue/connect.js';
import { queueRunId } from '../../src/queue/run-id.js';
import { checkJobKeys } from '../../src/queue/worker.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import type { KeySet } from '../../src/setup/keyset.js';
import type { SolvencyStatement } from '../../src/tree/solvency-tree.js';

const h = (c: string) => ({ r1cs: c.repeat(64), wasm: c.repeat(64), zkey: c.repeat(64), vkey: c.repeat(64) });
const keys = {
  family: B64_N8_K8,
  circuits: { chunk: { hashes: h('1') }, aggregate: { hashes: h('2') }, solvency: { hashes: h('3') } },
} as unknown as KeySet;

const statement: SolvencyStatement = {
  currency: 'USD',
  decimals: 2,
  snapshotTime: 1_700_000_000_000,
  auditHead: { sequence: 3, hash: 'ab'.repeat(32) },
  reserves: 1000n,
  users: [{ accountId: 'cd'.repeat(32), externalRef: 'alice', liability: 10n }],
};
const secret = new Uint8Array(32).fill(7);

function job(over: Partial<ProofJobData> = {}): ProofJobData {
  return {
    v: JOB_FORMAT,
    run: 'ef'.repeat(32),
    proof: 'L0-000001',
    family: 'b64-n8-k8',
    kind: 'chunk',
    keyHashes: h('1'),
    attempt: 1,
    input: { sumSalt: '5', balance: ['1', '2'] },
    ...over,
  };
}

describe('the queue URL', () => {
  it('parses redis:// and rediss:// with password and database', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6380/2').connection).toEqual({
      host: '127.0.0.1',
      port: 6380,
      db: 2,
    });
    const t = parseRedisUrl('rediss://app:s%40cret@redis.internal/0');
    expect(t.connection).toEqual({
      host: 'redis.internal',
      port: 6379,
      db: 0,
      username: 'app',
      password: 's@cret',
      tls: { servername: 'redis.internal' },
    });
    expect(t.display).toBe('rediss://app:***@redis.internal/0');
    expect(parseRedisUrl('redis://:pw@h:1/3').display).toBe('redis://:***@h:1/3');
  });

  it('refuses other URLs without ever showing the password', () => {
    for (const bad of [
      'http://:hunter2@h/0',
      'redis://:hunter2@h/x',
      'redis://:hunter2@h/0?tls=1',
      'not a url :hunter2@',
    ]) {
      let e: unknown;
      try {
        parseRedisUrl(bad);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(QueueUrlError);
      expect((e as Error).message).not.toContain('hunter2');
    }
    expect(redactUrl('redis://user:hunter2@h:1/0')).toBe('redis://user:***@h:1/0');
  });

  it('takes the password from ZKRESERVE_REDIS_PASSWORD when the URL has none (out of ps)', () => {
    const env = { ZKRESERVE_REDIS_PASSWORD: 'hunter2' };
    expect(queueTarget('redis://h:1/0', env).connection).toMatchObject({ password: 'hunter2' });
    expect(queueTarget('redis://:inurl@h:1/0', env).connection).toMatchObject({ password: 'inurl' });
    expect(queueTarget('redis://h:1/0', {}).connection).not.toHaveProperty('password');
    expect(queueTarget('redis://h:1/0', env).display).toBe('redis://h:1/0');
  });
});

describe('queue names, job ids and run ids', () => {
  it('names one queue per key set and one job per run, proof and try', () => {
    expect(keySetQueueName(keys)).toMatch(/^proofs-b64-n8-k8-[0-9a-f]{16}$/);
    const other = {
      ...keys,
      circuits: { ...keys.circuits, solvency: { hashes: h('4') } },
    } as unknown as KeySet;
    expect(keySetQueueName(other)).not.toBe(keySetQueueName(keys));
    expect(proofJobId('ab'.repeat(32), 'L0-000003', 2)).toBe(`${'ab'.repeat(16)}-L0-000003-a2`);
    expect(proofJobId('ab'.repeat(32), 'solvency', 1)).not.toContain(':');
  });

  it('derives the run id from everything that decides the proofs, and not the secret itself', () => {
    const base = { statement, secret, keys, publishTotal: false };
    const id = queueRunId(base);
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(queueRunId({ ...base })).toBe(id);
    const changed = [
      queueRunId({ ...base, publishTotal: true }),
      queueRunId({ ...base, padToUsers: 64 }),
      queueRunId({ ...base, secret: new Uint8Array(32).fill(8) }),
      queueRunId({ ...base, statement: { ...statement, snapshotTime: statement.snapshotTime + 1 } }),
      queueRunId({
        ...base,
        statement: { ...statement, users: [{ ...statement.users[0]!, liability: 11n }] },
      }),
      queueRunId({
        ...base,
        keys: { ...keys, circuits: { ...keys.circuits, chunk: { hashes: h('9') } } } as KeySet,
      }),
    ];
    expect(new Set([id, ...changed]).size).toBe(changed.length + 1);
    expect(id).not.toContain('07'.repeat(8));
  });
});

describe('the worker refuses what it should not prove', () => {
  it('accepts a well-formed job', () => {
    expect(checkJobData(job())).toEqual(job());
  });

  it('refuses malformed payloads (a forged or foreign job read from Redis)', () => {
    const bad: unknown[] = [
      null,
      'x',
      job({ v: 2 as 1 }),
      job({ run: 'zz' }),
      job({ proof: 'L0-1; rm -rf /' }),
      job({ kind: 'other' as 'chunk' }),
      job({ keyHashes: { ...h('1'), zkey: 'short' } }),
      job({ attempt: 0 }),
      job({ input: { x: '0x10' } }),
      job({ input: { x: [['1']] as unknown as string[] } }),
    ];
    for (const b of bad) expect(() => checkJobData(b), JSON.stringify(b)).toThrow(QueueJobRefusedError);
  });

  it('refuses a job naming keys other than its own, saying which', () => {
    expect(() => checkJobKeys(job(), keys, 'w1')).not.toThrow();
    expect(() => checkJobKeys(job({ keyHashes: { ...h('1'), zkey: '9'.repeat(64) } }), keys, 'w1')).toThrow(
      /worker w1 does not hold the keys job L0-000001 names.*differing in zkey/,
    );
    expect(() => checkJobKeys(job({ family: 'b100-n8-k8' }), keys, 'w1')).toThrow(QueueJobRefusedError);
    expect(() => checkJobKeys(job({ kind: 'solvency' }), keys, 'w1')).toThrow(
      /differing in r1cs, wasm, zkey, vkey/,
    );
  });
});
