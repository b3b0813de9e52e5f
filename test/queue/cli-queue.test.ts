// The real processes: `zkreserve prove --queue` as coordinator and two `zkreserve worker` processes on a
// password-protected redis-server. One worker is killed (SIGKILL) in the middle of a proof: its job's lock
// expires and the other worker proves it; the bundle verifies, with every packet, and its public signals
// equal a local run's; no job of the run is left in Redis; the password is never printed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDevKeys } from '../../src/setup/dev-ceremony.js';
import { B64_N8_K8 } from '../../src/protocol/families.js';
import { keySetQueueName } from '../../src/queue/job-data.js';
import { BIN, repoRoot, tempDir, writeText, zk } from '../cli/helpers.js';
import { HAVE_REDIS, REDIS_SKIP_REASON, startRedis } from '../support/redis.js';
import type { RedisServer } from '../support/redis.js';
import { expectVerified, publicSignals } from './helpers.js';

if (!HAVE_REDIS) console.warn(`test/queue/cli-queue: skipped: ${REDIS_SKIP_REASON}`);

const AT = '2025-01-01T00:00:00Z';
const PASSWORD = 'queue-test-password-5f3a';
const USERS = 64; // 8 chunks of the dev family, 1 aggregation, the solvency proof.

interface Proc {
  child: ChildProcess;
  log: string;
  exited: Promise<number | null>;
  /** Resolves once the log matches `re`. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
}

function start(args: readonly string[]): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const p: Proc = {
    child,
    log: '',
    exited: new Promise((r) => child.once('exit', (code) => r(code))),
    waitFor(re) {
      const m = p.log.match(re);
      if (m) return Promise.resolve(m);
      return new Promise((resolve) => waiters.push({ re, resolve }));
    },
  };
  const onData = (d: Buffer): void => {
    p.log += d.toString('utf8');
    for (const w of waiters.splice(0)) {
      const m = p.log.match(w.re);
      if (m) w.resolve(m);
      else waiters.push(w);
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  return p;
}

let redis: RedisServer;
let dir: string;
let db: string;
let secret: string;
const procs: Proc[] = [];

function proveArgs(out: string): string[] {
  return ['prove', db, '--allow-open-snapshot', '--at', AT, '--currency', 'USD', '--out', out];
}

describe.skipIf(!HAVE_REDIS)('prove --queue with worker processes', () => {
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD });
    dir = await tempDir('queue');
    db = path.join(dir, 'ledger.db');
    secret = path.join(dir, 'op.secret');
    const rows = ['external_ref,owner_type,currency,balance'];
    for (let i = 0; i < USERS; i++)
      rows.push(`user-${i},USER,USD,${10 + i}.${String(i % 100).padStart(2, '0')}`);
    rows.push(
      'bank-1,RESERVE,USD,100000.00',
      `platform,PLATFORM,USD,${100000 - USERS * 10 - (USERS * (USERS - 1)) / 2}.00`,
    );
    for (const r of [
      await zk(['init', db]),
      await zk(['import', db, await writeText(dir, 'b.csv', `${rows.join('\n')}\n`)]),
    ]) {
      if (r.code !== 0) throw new Error(r.stderr);
    }
    await zk(['secret', 'new', secret]);
  }, 120_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGKILL');
    await redis?.close();
  });

  it('survives a worker killed mid-proof; the bundle verifies and equals a local run', async () => {
    const workerArgs = [
      'worker',
      '--queue',
      redis.url,
      '--insecure-dev-keys',
      '--family',
      'b64-n8-k8',
      '--lock-duration',
      '2000',
    ];
    const a = start(workerArgs);
    const b = start(workerArgs);
    procs.push(a, b);
    await Promise.all([a.waitFor(/1 slot\(s\)/), b.waitFor(/1 slot\(s\)/)]);
    const out = path.join(dir, 'queued');
    const coordinator = start([
      ...proveArgs(out),
      '--secret-file',
      secret,
      '--insecure-dev-keys',
      '--queue',
      redis.url,
    ]);
    procs.push(coordinator);
    // Kill worker A while it holds its second job (it has finished one: it was really working).
    await a.waitFor(/proved /);
    const second = await a.waitFor(/proved [^\n]*\n(?:[^\n]*\n)*?proving (L[0-9]+-[0-9]+|solvency) /);
    const victim = second[1]!;
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe(null);
    expect(await coordinator.exited, coordinator.log).toBe(0);
    // The job A died on was proved by B after its lock expired.
    expect(b.log).toMatch(new RegExp(`proved ${victim} `));
    expect(coordinator.log).toMatch(/coordinator: proof jobs go to queue proofs-b64-n8-k8-/);
    expect(coordinator.log).toMatch(/worker/);
    expect(coordinator.log).toMatch(/removed \d+ job\(s\) of this run from Redis/);

    expect(await expectVerified(out, `${out}-packets`)).toBe(USERS);
    const localOut = path.join(dir, 'local');
    const local = await zk([...proveArgs(localOut), '--secret-file', secret, '--insecure-dev-keys']);
    expect(local.code, local.stderr).toBe(0);
    expect(await publicSignals(out)).toEqual(await publicSignals(localOut));

    // Nothing of the run is left: no job hash, no waiting, active, completed or failed entry.
    const queue = keySetQueueName(await ensureDevKeys(B64_N8_K8));
    const keysLeft = await redis.command(`KEYS zkreserve:${queue}:*`);
    expect(keysLeft).not.toMatch(/-(L[0-9]+-[0-9]+|solvency)-a[0-9]+/);
    for (const list of ['completed', 'failed', 'wait', 'active']) {
      const r = await redis.command(
        `${list === 'wait' || list === 'active' ? 'LLEN' : 'ZCARD'} zkreserve:${queue}:${list}`,
      );
      expect(r, list).toMatch(/:0\r\n/);
    }

    // SIGTERM stops the surviving worker cleanly; no process printed the password.
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.log).toMatch(/stopped/);
    for (const p of [a, b, coordinator]) {
      expect(p.log).not.toContain(PASSWORD);
      expect(p.log).toContain(':***@127.0.0.1');
    }
  }, 300_000);
});

describe('zkreserve worker: usage', () => {
  it('refuses a URL that is not redis:// or rediss:// without printing its password', async () => {
    const r = await zk(['worker', '--queue', 'http://:hunter2@127.0.0.1:1/0', '--insecure-dev-keys']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must start with redis:\/\/ or rediss:\/\/ .*\[QUEUE_URL\]/);
    expect(r.stderr).toContain('http://:***@127.0.0.1:1/0');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });

  it('needs --keys, or --insecure-dev-keys for the dev keys', async () => {
    const r = await zk(['worker', '--queue', 'redis://127.0.0.1:1/0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/give --keys <dir>.*\[QUEUE_WORKER_KEYS\]/);
  });
});
