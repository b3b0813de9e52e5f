// Shared checks of the queue tests: a bundle verifies (verifyBundle and every packet), its public signals,
// and the Redis keys a run leaves behind.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { readBundle, readPacket } from '../../src/bundle-io/read.js';
import { verifyBundle } from '../../src/verify/verify-bundle.js';
import { verifyInclusion } from '../../src/verify/verify-inclusion.js';
import { QUEUE_PREFIX } from '../../src/queue/job-data.js';
import type { RedisServer } from '../support/redis.js';

/** Asserts the bundle verifies and every packet in `packetsDir` verifies against it; returns the packet count. */
export async function expectVerified(bundleDir: string, packetsDir: string): Promise<number> {
  const bundle = await readBundle(bundleDir);
  const report = await verifyBundle(bundle);
  expect(report.errors).toEqual([]);
  expect(report.ok).toBe(true);
  const files = await readdir(packetsDir);
  for (const f of files) {
    const r = await verifyInclusion(await readPacket(path.join(packetsDir, f)), bundle);
    expect(r.reason).toBe('');
  }
  return files.length;
}

/** Proof id -> public signals of a bundle. */
export async function publicSignals(bundleDir: string): Promise<Record<string, string[]>> {
  const bundle = await readBundle(bundleDir);
  return Object.fromEntries(Object.entries(bundle.proofs).map(([id, p]) => [id, p.publicSignals]));
}

/** Redis keys of job hashes of queue `queue` whose job id starts with `jobPrefix` (KEYS: tests only). */
export async function jobKeys(redis: RedisServer, queue: string, jobPrefix: string): Promise<string[]> {
  const reply = await redis.command(`KEYS ${QUEUE_PREFIX}:${queue}:${jobPrefix}*`);
  return reply.split('\r\n').filter((l) => l.startsWith(`${QUEUE_PREFIX}:`));
}
