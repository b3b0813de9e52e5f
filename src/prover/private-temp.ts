// Private temporary folders for files that hold balances (the witnesses handed to rapidsnark): created
// with mode 0700 and files 0600, and removed when done, on failure too, and at process exit if still
// there (a SIGKILL or power loss can still leave one behind in the system's temporary folder).
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PrivateTempDir {
  path: string;
  /** Removes the folder and everything in it (idempotent). */
  remove(): Promise<void>;
}

/** A fresh folder `<parent>/<prefix>XXXXXX` only the current user can enter (0700). */
export async function createPrivateTempDir(prefix: string, parent = tmpdir()): Promise<PrivateTempDir> {
  const dir = await mkdtemp(path.join(parent, prefix));
  await chmod(dir, 0o700);
  const onExit = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', onExit);
  let removed = false;
  return {
    path: dir,
    async remove() {
      if (removed) return;
      removed = true;
      process.removeListener('exit', onExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a new file readable by its owner only (0600); fails if it exists. */
export async function writePrivateFile(file: string, data: Uint8Array | string): Promise<void> {
  await writeFile(file, data, { mode: 0o600, flag: 'wx' });
}
