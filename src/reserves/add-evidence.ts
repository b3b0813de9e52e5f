// Adding evidence to a bundle (`zkreserve reserves add`): the new items are checked against the bundle's
// round and the items already there, and the whole addition is refused (EvidenceRefusedError naming each
// bad item and why) when any new item fails. Browser-safe: the caller writes the result.
import type { BundleData } from '../bundle/format.js';
import { EvidenceRefusedError } from './errors.js';
import { parseEvidence } from './evidence.js';
import type { AssetMapping, ReservesEvidence } from './evidence.js';
import { verifyReservesEvidence } from './verify-evidence.js';
import type { EvidenceReport, VerifyEvidenceOptions } from './verify-evidence.js';

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function mergeAssets(a: readonly AssetMapping[] = [], b: readonly AssetMapping[] = []): AssetMapping[] {
  const out = [...a];
  for (const m of b) if (!out.some((x) => sameJson(x, m))) out.push(m);
  return out;
}

/**
 * The bundle's evidence with `addition`'s items appended, after checking them: the addition must be for
 * the same operator, challenge and window as the evidence already there, and no new item may fail
 * (unverified ones, such as an unpinned custodian's statement, are accepted and shown as such).
 * Returns the new evidence and its report; throws EvidenceRefusedError otherwise.
 */
export async function addEvidence(
  bundle: Pick<BundleData, 'manifest' | 'proofs' | 'reserves'>,
  addition: unknown,
  options: VerifyEvidenceOptions = {},
): Promise<{ evidence: ReservesEvidence; report: EvidenceReport }> {
  const add = parseEvidence(addition, 'the evidence to add');
  const existing = bundle.reserves === undefined ? null : parseEvidence(bundle.reserves);
  if (existing) {
    for (const k of ['operator', 'challenge', 'window'] as const) {
      if (!sameJson(existing[k], add[k])) {
        throw new EvidenceRefusedError(`the evidence to add has another ${k} than the bundle's evidence`);
      }
    }
  }
  const assets = mergeAssets(existing?.assets, add.assets);
  const evidence: ReservesEvidence = {
    ...add,
    ...(assets.length > 0 ? { assets } : {}),
    items: [...(existing?.items ?? []), ...add.items],
  };
  if (assets.length === 0) delete evidence.assets;
  const report = await verifyReservesEvidence({ ...bundle, reserves: evidence }, options);
  if (report.problems.length > 0)
    throw new EvidenceRefusedError(`evidence refused: ${report.problems.join('; ')}`);
  const first = existing?.items.length ?? 0;
  const bad = report.items.filter((r) => r.index >= first && r.status === 'failed');
  if (bad.length > 0) {
    throw new EvidenceRefusedError(
      `evidence refused, nothing written: ${bad.map((r) => `items[${r.index - first}] ${r.label}: ${r.reason}`).join('; ')}`,
    );
  }
  return { evidence, report };
}
