// Opening Redis for a coordinator or a worker: BullMQ connection options from the `--queue` URL, and a
// bounded wait for the first connection so a wrong host, port, password or TLS setting fails fast with a
// clear message (the URL shown with its password redacted) instead of ioredis retrying forever.
import type { ConnectionOptions } from 'bullmq';
import { QueueConnectionError } from './errors.js';
import { parseRedisUrl } from './redis-url.js';

export interface QueueTarget {
  connection: ConnectionOptions;
  /** The URL, password redacted. */
  display: string;
}

/** The environment variable that gives the Redis password when the URL has none (kept out of `ps`). */
export const REDIS_PASSWORD_ENV = 'ZKRESERVE_REDIS_PASSWORD';

/** BullMQ connection options for `url` (see redis-url.ts); the password may come from REDIS_PASSWORD_ENV. */
export function queueTarget(url: string, env: NodeJS.ProcessEnv = process.env): QueueTarget {
  const { connection, display } = parseRedisUrl(url);
  const fromEnv = env[REDIS_PASSWORD_ENV];
  const password = connection.password ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  return {
    connection: {
      ...connection,
      ...(password !== undefined ? { password } : {}),
      maxRetriesPerRequest: null,
    },
    display,
  };
}

/** Waits until `ready` (a BullMQ waitUntilReady()) resolves, or throws QueueConnectionError after `timeoutMs`. */
export async function waitForRedis(
  ready: Promise<unknown>,
  display: string,
  timeoutMs: number,
  lastError: () => string | undefined,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const why = lastError();
      reject(
        new QueueConnectionError(
          `cannot reach Redis at ${display} within ${timeoutMs / 1000} s${why ? ` (${why})` : ''}: ` +
            'check the host, port, database, password and TLS (rediss://)',
        ),
      );
    }, timeoutMs);
  });
  try {
    await Promise.race([ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
