// zkreserve sign <bundle-dir | index.json> --key <file> [--packets <dir>]: adds (or replaces) this signer's
// signature of the bundle digest in <bundle>/signatures.json, or of a snapshot index's digest in the index;
// with --packets, the operator also signs every inclusion packet in <dir> (docs/reserves.md).
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { bundleDigest } from '../../bundle/digest.js';
import { SOLVENCY, SOLVENCY_PROOF_ID, prettyJson } from '../../bundle/format.js';
import type { BundleData, InclusionPacket } from '../../bundle/format.js';
import { readBundle, readPacket } from '../../bundle-io/read.js';
import { produceAtomic, writeFileAtomic } from '../../fs/atomic.js';
import { fingerprint } from '../../publication/ed25519.js';
import { PacketSignatureError } from '../../publication/errors.js';
import { signBundleDigest, signIndexDigest, signPacket } from '../../publication/sign.js';
import {
  SIGNATURES_FILE,
  emptySignatureFile,
  parseSignatureFile,
  signatureFileText,
  withSignature,
} from '../../publication/signature-file.js';
import type { SignerKey } from '../../publication/signer-key.js';
import { indexDigest, indexText, parseIndex } from '../../publication/snapshot-index.js';
import { CliUsageError } from '../errors.js';
import { readSignaturesText, readSignerKeyFile } from '../signer-files.js';
import { out } from '../../terminal/output.js';

async function signBundle(dir: string, digest: string, key: SignerKey): Promise<void> {
  const text = await readSignaturesText(dir);
  const file =
    text === null ? emptySignatureFile() : parseSignatureFile(text, path.join(dir, SIGNATURES_FILE));
  file.signatures = withSignature(file.signatures, signBundleDigest(digest, key));
  await writeFileAtomic(path.join(dir, SIGNATURES_FILE), signatureFileText(file));
  out(`signed bundle ${dir} as ${key.role} "${key.name}" (key ${fingerprint(key.publicKey)})`);
  out(`  bundle digest  ${digest}`);
  out(
    `  ${SIGNATURES_FILE} now holds ${file.signatures.length} signature${file.signatures.length === 1 ? '' : 's'}`,
  );
}

/** Refuses a packet that is not this bundle's: signing it would vouch for a packet of another bundle. */
function packetOfBundle(packet: InclusionPacket, bundle: BundleData, file: string): void {
  const m = bundle.manifest;
  const root = bundle.proofs[SOLVENCY_PROOF_ID]?.publicSignals[SOLVENCY.root];
  if (packet.currency !== m.currency || packet.snapshotTimeMs !== m.snapshotTimeMs || packet.root !== root) {
    throw new PacketSignatureError(
      `${file} is not a packet of this bundle (currency, snapshot time or root differ): not signed`,
    );
  }
}

/** Every packet in `dir`, checked to be the bundle's and signed (nothing written yet). */
async function signedPackets(
  dir: string,
  bundle: BundleData,
  digest: string,
  key: SignerKey,
): Promise<{ file: string; packet: InclusionPacket }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const signed: { file: string; packet: InclusionPacket }[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const packet = await readPacket(file);
    packetOfBundle(packet, bundle, file);
    signed.push({ file, packet: signPacket(packet, digest, key) });
  }
  return signed;
}

/** Writes signed packets in place, private (0600), each atomically. */
async function writePackets(signed: readonly { file: string; packet: InclusionPacket }[]): Promise<void> {
  for (const { file, packet } of signed) {
    await produceAtomic(file, (tmp) => writeFile(tmp, prettyJson(packet), { mode: 0o600 }));
  }
}

async function signIndexFile(file: string, key: SignerKey): Promise<void> {
  const index = parseIndex(await readFile(file, 'utf8'), file);
  const digest = indexDigest(index);
  index.signatures = withSignature(index.signatures, signIndexDigest(digest, key));
  await writeFileAtomic(file, indexText(index));
  out(`signed index ${file} as ${key.role} "${key.name}" (key ${fingerprint(key.publicKey)})`);
  out(`  index digest   ${digest}`);
}

export function registerSign(program: Command): void {
  program
    .command('sign')
    .description(
      "sign a bundle's digest (into <bundle>/signatures.json) or a snapshot index; auditors co-sign the same",
    )
    .argument('<bundle-dir|index.json>', 'a bundle directory, or a snapshot index (zkreserve index)')
    .requiredOption('--key <file>', 'your signer key (zkreserve signer new)')
    .option('--packets <dir>', "also sign every inclusion packet in <dir> (the operator's key only)")
    .action(async (target: string, opts: { key: string; packets?: string }) => {
      const key = readSignerKeyFile(opts.key);
      if (!existsSync(target)) throw new CliUsageError(`no such bundle or index: ${target}`);
      if (!statSync(target).isDirectory()) {
        if (opts.packets !== undefined) throw new CliUsageError('--packets goes with a bundle, not an index');
        await signIndexFile(target, key);
        return;
      }
      if (!existsSync(path.join(target, 'manifest.json'))) {
        throw new CliUsageError(`${target} is not a bundle (no manifest.json)`);
      }
      if (opts.packets !== undefined && !existsSync(opts.packets)) {
        throw new CliUsageError(`no packet directory ${opts.packets}`);
      }
      if (opts.packets !== undefined && key.role !== 'operator') {
        throw new CliUsageError(
          `--packets needs the operator's key; ${JSON.stringify(key.name)} is an ${key.role}`,
        );
      }
      const bundle = await readBundle(target);
      const digest = bundleDigest(bundle);
      // Every packet is checked before anything is written: a stray packet leaves everything as it was.
      const packets =
        opts.packets === undefined ? [] : await signedPackets(opts.packets, bundle, digest, key);
      await signBundle(target, digest, key);
      if (opts.packets !== undefined) {
        await writePackets(packets);
        out(`signed ${packets.length} packet${packets.length === 1 ? '' : 's'} in ${opts.packets}`);
      }
    });
}
