// The `--queue` URL: `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. Parsed into the
// connection options BullMQ passes to ioredis; every message about it shows the URL with its password
// replaced by `***` (redactUrl), so a password never reaches a log or an error.
import { QueueUrlError } from './errors.js';

/** The ioredis connection options BullMQ takes (host, port, db, credentials, TLS). */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** Present for `rediss://`: TLS with the system's CAs, checking the server name. */
  tls?: { servername: string };
}

export interface RedisTarget {
  connection: RedisConnection;
  /** The URL with any password replaced by `***`: safe to print. */
  display: string;
}

/** `url` with the password (the part between `:` and `@` of the authority) replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon < 0 ? `${scheme}***@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
}

function parseDb(pathname: string, shown: string): number {
  const db = pathname.replace(/^\//, '');
  if (db === '') return 0;
  if (!/^(0|[1-9][0-9]{0,3})$/.test(db)) {
    throw new QueueUrlError(
      `the database in ${shown} must be a number (redis://host:port/0), got ${JSON.stringify(db)}`,
    );
  }
  return Number(db);
}

/** Parses a `redis://` or `rediss://` URL; throws QueueUrlError (password redacted) when it is not one. */
export function parseRedisUrl(url: string): RedisTarget {
  const display = redactUrl(url);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not even a URL: nothing of it is shown (it may hold a password in a form redactUrl does not see).
    throw new QueueUrlError(
      'the queue URL is not a URL: expected redis://[:password@]host:port/db or rediss://...',
    );
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new QueueUrlError(`${display}: the queue URL must start with redis:// or rediss:// (TLS)`);
  }
  if (u.hostname === '') throw new QueueUrlError(`${display} names no host`);
  if (u.search !== '' || u.hash !== '') {
    throw new QueueUrlError(`${display}: query strings and fragments are not supported in the queue URL`);
  }
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const connection: RedisConnection = {
    host,
    port: u.port === '' ? 6379 : Number(u.port),
    db: parseDb(u.pathname, display),
  };
  if (u.username !== '') connection.username = decodeURIComponent(u.username);
  if (u.password !== '') connection.password = decodeURIComponent(u.password);
  if (u.protocol === 'rediss:') connection.tls = { servername: host };
  return { connection, display };
}
