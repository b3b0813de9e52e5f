// The prover's output directories: the checks made before any proof (packets outside the bundle, no
// non-empty directory replaced without force) and the temporary sibling directories everything is written
// into, renamed into place only when all is written (a failed or interrupted run leaves earlier output).
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { isNonEmptyDir, replaceDir } from '../fs/atomic.js';
import { OutputExistsError } from './errors.js';

export interface OutputDirs {
  /** The bundle directory (public), absolute. */
  outDir: string;
  /** The packets directory (private), absolute. */
  packetsDir: string;
}

/**
 * Throws InvalidArgumentError when the packets directory lies inside the bundle, and (unless `force`)
 * OutputExistsError when either directory holds files.
 */
export async function checkOutputDirs(dirs: OutputDirs, force: boolean): Promise<void> {
  const { outDir, packetsDir } = dirs;
  if (outDir === packetsDir || packetsDir.startsWith(outDir + path.sep)) {
    throw new InvalidArgumentError(
      `packets directory ${packetsDir} lies inside the bundle ${outDir}: packets are private and must stay out of it`,
    );
  }
  if (!force) {
    if (await isNonEmptyDir(outDir)) throw new OutputExistsError(outDir);
    if (await isNonEmptyDir(packetsDir)) throw new OutputExistsError(packetsDir);
  }
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
  await mkdir(staging.packetsDir);
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
