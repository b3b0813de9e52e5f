// Where the page reads a bundle's files from (a folder the user picked, or the static host serving the page),
// as ReadBundleFile sources for src/bundle/load.ts.
import type { ReadBundleFile } from '../../src/bundle/load.js';

/** A ReadBundleFile over files picked with `<input webkitdirectory>`: paths are relative to the picked folder. */
export function readFromPickedFolder(files: FileList | File[]): ReadBundleFile {
  const byPath = new Map<string, File>();
  for (const file of Array.from(files)) {
    const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    // Drop the picked folder's own name: "bundle-usd/proofs/L0-000000/proof.json" -> "proofs/L0-...".
    const parts = rel.split('/');
    byPath.set(parts.length > 1 ? parts.slice(1).join('/') : rel, file);
  }
  // A folder that contains the bundle one level deeper (e.g. the user picked its parent) also works.
  if (!byPath.has('manifest.json')) {
    const nested = [...byPath.keys()].find((p) => p.endsWith('/manifest.json'));
    if (nested) {
      const prefix = nested.slice(0, -'manifest.json'.length);
      for (const [p, f] of [...byPath]) if (p.startsWith(prefix)) byPath.set(p.slice(prefix.length), f);
    }
  }
  return async (path) => {
    const file = byPath.get(path);
    return file ? file.text() : null;
  };
}

/** A ReadBundleFile over HTTP, relative to `baseUrl` (the bundle folder on the same static host). */
export function readFromUrl(baseUrl: string): ReadBundleFile {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return async (path) => {
    const response = await fetch(base + path);
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`could not fetch ${path}: HTTP ${response.status}`);
    return response.text();
  };
}
