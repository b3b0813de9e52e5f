// The prover's output directories: the checks made before any proof (packets outside the bundle, no
// non-empty directory replaced without force) and the temporary sibling directories everything is written
// into, renamed into place only when all is written (a failed or interrupted run leaves earlier output).
// `force` replaces only what an earlier run wrote: a bundle directory (manifest.json of a zkreserve protocol,
// verification_keys/, proofs/) or a packet directory (<64 hex>.json files only), never anything else.
// The packet directory is created 0700 (packets are private; bundle-io/write.ts writes them 0600).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { isNonEmptyDir, replaceDir } from '../fs/atomic.js';
import { OutputExistsError, UnsafeOutputDirError } from './errors.js';

export interface OutputDirs {
  /** The bundle directory (public), absolute. */
  outDir: string;
  /** The packets directory (private), absolute. */
  packetsDir: string;
}

/** Whether `inner` is `outer` or lies inside it (both absolute). */
export function isWithin(inner: string, outer: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const BUNDLE_ENTRIES = new Set(['manifest.json', 'verification_keys', 'proofs']);
const PACKET_FILE = /^[0-9a-f]{64}\.json$/;

/** Entries of `dir`; [] when it does not exist; a file in its place is refused. */
async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR')
      throw new UnsafeOutputDirError(`output ${dir} is a file, not a directory: refusing to replace it`);
    throw e;
  }
}

/** Refuses to replace a non-empty `dir` that is not a zkreserve bundle. */
async function checkReplaceableBundle(dir: string): Promise<void> {
  const names = await entries(dir);
  if (names.length === 0) return;
  const refuse = (why: string): never => {
    throw new UnsafeOutputDirError(
      `refusing to replace ${dir}: ${why}; force replaces only an earlier zkreserve bundle directory`,
    );
  };
  const stray = names.find((n) => !BUNDLE_ENTRIES.has(n));
  if (stray !== undefined) refuse(`it holds ${JSON.stringify(stray)}, which is not part of a bundle`);
  let protocol: unknown;
  try {
    protocol = (JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as { protocol?: unknown })
      ?.protocol;
  } catch {
    refuse('it has no readable manifest.json');
  }
  if (typeof protocol !== 'string' || !protocol.startsWith('zkreserve/'))
    refuse('its manifest.json is not a zkreserve bundle manifest');
}

/** Refuses to replace a non-empty `dir` that holds anything but packet files. */
async function checkReplaceablePackets(dir: string): Promise<void> {
  const stray = (await entries(dir)).find((n) => !PACKET_FILE.test(n));
  if (stray !== undefined) {
    throw new UnsafeOutputDirError(
      `refusing to replace ${dir}: it holds ${JSON.stringify(stray)}, which is not an inclusion packet ` +
        '(<64 hex>.json); force replaces only an earlier packet directory',
    );
  }
}

/**
 * Throws InvalidArgumentError when the packets directory lies inside the bundle, UnsafeOutputDirError when
 * the bundle lies inside the packets directory (replacing it would delete the fresh bundle) or, with
 * `force`, when a directory to replace is not an earlier bundle / packet directory, and (without `force`)
 * OutputExistsError when either directory holds files.
 */
export async function checkOutputDirs(dirs: OutputDirs, force: boolean): Promise<void> {
  const { outDir, packetsDir } = dirs;
  if (isWithin(packetsDir, outDir)) {
    throw new InvalidArgumentError(
      `packets directory ${packetsDir} lies inside the bundle ${outDir}: packets are private and must stay out of it`,
    );
  }
  if (isWithin(outDir, packetsDir)) {
    throw new UnsafeOutputDirError(
      `bundle directory ${outDir} lies inside the packets directory ${packetsDir}: ` +
        'writing the packets would replace the bundle',
    );
  }
  if (!force) {
    if (await isNonEmptyDir(outDir)) throw new OutputExistsError(outDir);
    if (await isNonEmptyDir(packetsDir)) throw new OutputExistsError(packetsDir);
    return;
  }
  await checkReplaceableBundle(outDir);
  await checkReplaceablePackets(packetsDir);
}

/** Temporary siblings `<dir>.partial-<tag>` of both output directories (not yet created). */
export function stagingDirs(dirs: OutputDirs): OutputDirs {
  const tag = randomBytes(6).toString('hex');
  return { outDir: `${dirs.outDir}.partial-${tag}`, packetsDir: `${dirs.packetsDir}.partial-${tag}` };
}

/** Creates the staging directories (and the output directories' parents). */
export async function createStaging(staging: OutputDirs, dirs: OutputDirs): Promise<void> {
  await mkdir(path.dirname(dirs.outDir), { recursive: true });
  await mkdir(path.dirname(dirs.packetsDir), { recursive: true });
  await mkdir(staging.outDir);
  await mkdir(staging.packetsDir, { mode: 0o700 });
}

/** Moves the finished staging directories into place, replacing what was there. */
export async function commitStaging(staging: OutputDirs, dirs: OutputDirs): Promise<void> {
  await replaceDir(staging.outDir, dirs.outDir);
  await replaceDir(staging.packetsDir, dirs.packetsDir);
}

/** Removes the staging directories of a failed run. */
export async function discardStaging(staging: OutputDirs): Promise<void> {
  await rm(staging.outDir, { recursive: true, force: true });
  await rm(staging.packetsDir, { recursive: true, force: true });
}
