// A real Redis for tests: Debian's redis-server on a free loopback port, no persistence (--save '',
// --appendonly no), in a temporary directory, stopped by close(). Tests skip (with REDIS_SKIP_REASON)
// where redis-server is not installed; CI (.ci/run) installs it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export const REDIS_SERVER = process.env.ZKRESERVE_REDIS_SERVER ?? '/usr/bin/redis-server';
export const HAVE_REDIS = existsSync(REDIS_SERVER);
export const REDIS_SKIP_REASON = `redis-server not found at ${REDIS_SERVER} (apt-get install redis-server; .ci/run installs it)`;

export interface RedisServer {
  /** `redis://127.0.0.1:<port>/0` (with the password when one was asked for). */
  url: string;
  port: number;
  /** Sends one command (inline protocol) and returns the raw reply: for tests that look into Redis. */
  command(line: string): Promise<string>;
  close(): Promise<void>;
}

function sendInline(port: number, line: string, password?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = createConnection({ host: '127.0.0.1', port });
    let data = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => (data += d));
    sock.on('error', reject);
    sock.on('end', () => resolve(data));
    sock.on('connect', () => {
      sock.write(`${password ? `AUTH ${password}\r\n` : ''}${line}\r\nQUIT\r\n`);
    });
  });
}

async function waitUp(port: number, password?: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const reply = await sendInline(port, 'PING', password).catch(() => '');
    if (reply.includes('+PONG')) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

/** Starts redis-server on a free loopback port (optionally with `requirepass`). */
export async function startRedis(options: { password?: string } = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'zkr-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
  ];
  if (options.password) args.push('--requirepass', options.password);
  const child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitUp(port, options.password);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    url: `redis://${auth}127.0.0.1:${port}/0`,
    port,
    command: (line) => sendInline(port, line, options.password),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
