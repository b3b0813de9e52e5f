// Shared checks of the bundle verifier and the inclusion verifier (protocol.md §9). Browser-safe.
import { FIELD_P } from '../crypto/field.js';
import { MAX_CURRENCY_DECIMALS, currencyId } from '../protocol/encoding.js';
import { builtinCurrency, isCurrencyCode } from '../money/currency.js';
import { PAD_CHILD } from '../crypto/poseidon.js';
import { PROTOCOL_VERSION, SOLVENCY, SOLVENCY_PROOF_ID, proofId, vkeyHash } from '../bundle/format.js';
import type { BundleData, BundleManifest, ProofWithSignals } from '../bundle/format.js';
import { CIRCUIT_KINDS, balanceBitsFor, publicSignalNames } from '../protocol/families.js';
import type { CircuitFamily, CircuitKind } from '../protocol/families.js';
import { snarkjs } from '../zk/snarkjs.js';
import type { VerificationKey } from '../zk/snarkjs.js';
import { checkVkeyStructure } from './vkey-structure.js';

const DEC = /^(0|[1-9][0-9]*)$/;
const HEX64 = /^[0-9a-f]{64}$/;

/** ISO form of a decimal Unix-ms string, or null when out of the Date range. */
export function isoOf(ms: string): string | null {
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A canonical decimal string (no sign, no leading zero): a non-negative integer. */
export function isDecimal(x: unknown): x is string {
  return typeof x === 'string' && DEC.test(x);
}

/** A canonical decimal field element, or null. */
export function parseField(x: unknown): bigint | null {
  if (!isDecimal(x)) return null;
  const v = BigInt(x);
  return v < FIELD_P ? v : null;
}

export function nPublicOf(kind: CircuitKind, aggChildren: number): number {
  return kind === 'chunk' ? 2 : kind === 'aggregate' ? 2 + 2 * aggChildren : 9;
}

/** Expected node counts per level for `chunks` chunks: [chunks, ceil(chunks/K), ..., 1], at least one aggregation level. */
export function expectedLevels(chunks: number, k: number): number[] {
  const levels = [chunks];
  let n = chunks;
  do {
    n = Math.ceil(n / k);
    levels.push(n);
  } while (n > 1);
  return levels;
}

/** How an unsupported protocol value is named: the string itself when it is short printable ASCII. */
function protocolShown(p: unknown): string {
  return typeof p === 'string' && /^[\x21-\x7e]{1,64}$/.test(p) ? p : (JSON.stringify(p) ?? typeof p);
}

/** null when `protocol` is this verifier's protocol, else "unsupported protocol <x>" (protocol.md §9 step 1). */
export function protocolProblem(protocol: unknown): string | null {
  return protocol === PROTOCOL_VERSION ? null : `unsupported protocol ${protocolShown(protocol)}`;
}

/**
 * Structural checks of the manifest (no proof involved). Returns error messages; an empty list means the
 * manifest is self-consistent. Another protocol version is reported alone: nothing else in it can be read.
 */
export function checkManifest(m: BundleManifest): string[] {
  if (!m || typeof m !== 'object') return ['manifest: missing or not an object'];
  const unsupported = protocolProblem(m.protocol);
  if (unsupported !== null) return [`manifest: ${unsupported} (this verifier reads ${PROTOCOL_VERSION})`];
  const errors = [...checkHeader(m), ...checkAmounts(m)];
  if (!isFamily(m.family)) {
    errors.push('manifest: malformed circuit family');
    return errors;
  }
  errors.push(...checkFamilyRule(m, m.family), ...checkSignalNames(m, m.family));
  errors.push(...checkTreeShape(m, m.family));
  return errors;
}

/** A JSON number that is a non-negative safe integer (manifest counts and indices, protocol.md §1). */
function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** Currency code (the ledger's grammar), decimals (the registry's for a built-in code) and currencyId. */
function checkCurrency(m: BundleManifest): string[] {
  if (!isCurrencyCode(m.currency)) {
    return [
      `manifest: currency ${JSON.stringify(m.currency)} is not a currency code: 1..31 uppercase ASCII letters or digits ([A-Z0-9]{1,31})`,
    ];
  }
  if (!isCount(m.decimals) || m.decimals > MAX_CURRENCY_DECIMALS) {
    return [
      `manifest: decimals ${JSON.stringify(m.decimals)} is not an integer in [0, ${MAX_CURRENCY_DECIMALS}]`,
    ];
  }
  const errors: string[] = [];
  const builtin = builtinCurrency(m.currency);
  if (builtin && builtin.exponent !== m.decimals) {
    errors.push(
      `manifest: ${m.currency} has ${builtin.exponent} decimals (built-in currency), the manifest says ${m.decimals}`,
    );
  }
  const expected = currencyId(m.currency, m.decimals).toString();
  if (m.currencyId !== expected) {
    errors.push(
      `manifest: currencyId ${JSON.stringify(m.currencyId)} is not currencyId(${m.currency}, ${m.decimals}) = ${expected}`,
    );
  }
  return errors;
}

/** Currency, snapshot time and audit head. */
function checkHeader(m: BundleManifest): string[] {
  const errors: string[] = checkCurrency(m);
  if (typeof m.snapshotTimeMs !== 'string' || !DEC.test(m.snapshotTimeMs)) {
    errors.push('manifest: snapshotTimeMs is not a canonical decimal string');
  } else if (isoOf(m.snapshotTimeMs) !== m.snapshotTime) {
    errors.push(
      `manifest: snapshotTime ${JSON.stringify(m.snapshotTime)} is not the instant snapshotTimeMs ${m.snapshotTimeMs}`,
    );
  }
  const head = m.auditHead;
  if (!head || !isCount(head.sequence))
    errors.push('manifest: auditHead.sequence is not a non-negative integer');
  if (!head || typeof head.hash !== 'string' || !HEX64.test(head.hash)) {
    errors.push('manifest: auditHead.hash is not 64 lowercase hex digits');
  } else {
    if (head.hi !== BigInt('0x' + head.hash.slice(0, 32)).toString())
      errors.push('manifest: auditHead.hi does not match auditHead.hash');
    if (head.lo !== BigInt('0x' + head.hash.slice(32)).toString())
      errors.push('manifest: auditHead.lo does not match auditHead.hash');
  }
  return errors;
}

/** Reserves and the disclosed total: decimal strings, total at most the reserves. */
function checkAmounts(m: BundleManifest): string[] {
  const errors: string[] = [];
  const reserves = isDecimal(m.reserves);
  if (!reserves) errors.push('manifest: reserves is not a decimal string');
  if (m.total !== null && !isDecimal(m.total)) {
    errors.push('manifest: total is neither null nor a decimal string');
  }
  if (isDecimal(m.total) && reserves && BigInt(m.total) > BigInt(m.reserves)) {
    errors.push(`manifest: total ${m.total} exceeds reserves ${m.reserves}`);
  }
  return errors;
}

/** A circuit family of protocol.md §2: K in {2, 4, 8, 16}, N and B positive, S = B + 32, its id. */
function isFamily(f: BundleManifest['family'] | undefined): f is BundleManifest['family'] {
  return (
    !!f &&
    [2, 4, 8, 16].includes(f.aggChildren) &&
    Number.isSafeInteger(f.chunkUsers) &&
    f.chunkUsers >= 1 &&
    Number.isSafeInteger(f.balanceBits) &&
    f.balanceBits >= 1 &&
    f.sumBits === f.balanceBits + 32 &&
    f.id === `b${f.balanceBits}-n${f.chunkUsers}-k${f.aggChildren}`
  );
}

/** protocol.md §2: B is fixed by the currency's decimals (64 up to 8 decimals, else 100). */
function checkFamilyRule(m: BundleManifest, f: BundleManifest['family']): string[] {
  if (!isCount(m.decimals)) return [];
  const want = balanceBitsFor(m.decimals);
  if (f.balanceBits === want) return [];
  return [
    `manifest: family ${f.id} has balanceBits ${f.balanceBits}, a currency with ${m.decimals} decimals needs ${want} (protocol.md §2)`,
  ];
}

/** publicSignals.<kind> must be exactly the protocol's names, in order (protocol.md §6). */
function checkSignalNames(m: BundleManifest, f: BundleManifest['family']): string[] {
  const errors: string[] = [];
  for (const kind of CIRCUIT_KINDS) {
    const want = publicSignalNames(f as CircuitFamily, kind);
    const got: unknown = m.publicSignals?.[kind];
    if (!Array.isArray(got) || got.length !== want.length || want.some((n, i) => got[i] !== n)) {
      errors.push(
        `manifest: publicSignals.${kind} is not the protocol's list ${want.join(',')} (protocol.md §6)`,
      );
    }
  }
  return errors;
}

/** tree.levels, users.paddedUsers and the proof list against the number of chunks and the family. */
function checkTreeShape(m: BundleManifest, f: BundleManifest['family']): string[] {
  const levels = m.tree?.levels;
  if (!Array.isArray(levels) || levels.length < 2 || !Number.isSafeInteger(levels[0]) || levels[0]! < 1) {
    return ['manifest: tree.levels must list at least the chunk level and one aggregation level'];
  }
  const errors: string[] = [];
  const expected = expectedLevels(levels[0]!, f.aggChildren);
  // Element by element: `join` would let "2" or [2] pass for 2.
  if (expected.length !== levels.length || expected.some((n, i) => levels[i] !== n)) {
    errors.push(
      `manifest: tree.levels ${levels.join(',')} do not match ${levels[0]} chunks with K=${f.aggChildren} (expected ${expected.join(',')})`,
    );
  }
  if (m.users?.paddedUsers !== levels[0]! * f.chunkUsers) {
    errors.push(
      `manifest: users.paddedUsers ${m.users?.paddedUsers} is not chunks x chunkUsers = ${levels[0]! * f.chunkUsers}`,
    );
  }
  errors.push(...checkProofList(m.proofs, expected));
  return errors;
}

/** The proof list: exactly every node of every level, then the solvency proof, at their canonical paths. */
function checkProofList(proofs: BundleManifest['proofs'] | undefined, levels: readonly number[]): string[] {
  const want: { id: string; kind: CircuitKind; level: number; index: number }[] = [];
  levels.forEach((count, level) => {
    for (let index = 0; index < count; index++) {
      want.push({ id: proofId(level, index), kind: level === 0 ? 'chunk' : 'aggregate', level, index });
    }
  });
  want.push({ id: SOLVENCY_PROOF_ID, kind: 'solvency', level: levels.length, index: 0 });
  const got = Array.isArray(proofs) ? proofs : [];
  if (got.length !== want.length) {
    return [`manifest: lists ${got.length} proofs, the tree shape needs ${want.length}`];
  }
  const errors: string[] = [];
  want.forEach((w, i) => {
    const e = got[i]!;
    if (
      e.id !== w.id ||
      e.kind !== w.kind ||
      e.level !== w.level ||
      e.index !== w.index ||
      e.path !== `proofs/${w.id}`
    ) {
      errors.push(
        `manifest: proof entry ${i} is ${JSON.stringify(e)}, expected ${w.id} (${w.kind}) at proofs/${w.id}`,
      );
    }
  });
  return errors;
}

export interface VkeyCheckOptions {
  /** Pinned SHA-256 of each verification key file (from the ceremony's published manifest). */
  trustedVkeyHashes?: Partial<Record<CircuitKind, string>>;
}

/** Verification keys: Groth16 on bn128, the right number of public signals, hashes as the manifest says. */
export function checkVkeys(bundle: BundleData, options: VkeyCheckOptions = {}): string[] {
  const errors: string[] = [];
  const k = bundle.manifest.family.aggChildren;
  for (const kind of CIRCUIT_KINDS) {
    const vk = bundle.vkeys?.[kind];
    if (!vk || typeof vk !== 'object') {
      errors.push(`verification key ${kind}: missing`);
      continue;
    }
    errors.push(...checkVkeyStructure(kind, vk));
    if (vk.protocol !== 'groth16' || vk.curve !== 'bn128')
      errors.push(`verification key ${kind}: not a Groth16 bn128 key`);
    if (vk.nPublic !== nPublicOf(kind, k)) {
      errors.push(
        `verification key ${kind}: has ${vk.nPublic} public signals, the ${kind} circuit has ${nPublicOf(kind, k)}`,
      );
    } else if (!Array.isArray(vk.IC) || vk.IC.length !== vk.nPublic + 1) {
      // snarkjs reads IC[0..signals] and ignores the rest: a key of another circuit could pass as this one.
      errors.push(
        `verification key ${kind}: IC has ${Array.isArray(vk.IC) ? vk.IC.length : 'no'} points, nPublic ${vk.nPublic} needs ${vk.nPublic + 1}`,
      );
    }
    const hash = vkeyHash(vk);
    const claimed = bundle.manifest.keys?.circuits?.[kind]?.hashes?.vkey;
    if (hash !== claimed) {
      errors.push(`verification key ${kind}: SHA-256 ${hash} differs from the manifest's ${String(claimed)}`);
    }
    const pinned = options.trustedVkeyHashes?.[kind];
    if (pinned !== undefined && pinned !== hash) {
      errors.push(`verification key ${kind}: SHA-256 ${hash} is not the trusted key ${pinned}`);
    }
  }
  return errors;
}

/** Public-signal shape of one proof. */
export function checkSignals(
  id: string,
  kind: CircuitKind,
  p: ProofWithSignals | undefined,
  k: number,
): string | null {
  if (!p) return `proof ${id}: missing from the bundle`;
  const n = nPublicOf(kind, k);
  if (!Array.isArray(p.publicSignals) || p.publicSignals.length !== n) {
    return `proof ${id}: public.json must hold ${n} signals`;
  }
  const bad = p.publicSignals.findIndex((x) => parseField(x) === null);
  if (bad >= 0) return `proof ${id}: public signal ${bad} is not a canonical decimal field element`;
  return null;
}

/** Groth16 verification of one proof; returns an error message or null. */
export async function checkGroth16(
  id: string,
  kind: CircuitKind,
  vkey: VerificationKey,
  p: ProofWithSignals,
): Promise<string | null> {
  let ok = false;
  try {
    ok = (await snarkjs.groth16.verify(vkey, p.publicSignals, p.proof)) === true;
  } catch (e) {
    return `proof ${id} (${kind}): cannot be checked: ${(e as Error).message}`;
  }
  return ok
    ? null
    : `proof ${id} (${kind}): Groth16 verification failed against verification_keys/${kind}.vkey.json`;
}

/**
 * The link between aggregation proof `parent` (level l, index j) and its K child slots: slot i must carry
 * the outputs of child proof (l-1, j*K+i) if it exists (`child`: its id and public signals), else the
 * padding child.
 */
export function checkLinkSlot(
  parentId: string,
  parentSignals: string[],
  slot: number,
  k: number,
  child: { id: string; signals: string[] } | 'pad',
): string | null {
  const root = parentSignals[2 + slot];
  const sumCommit = parentSignals[2 + k + slot];
  if (child === 'pad') {
    if (root !== PAD_CHILD.root.toString() || sumCommit !== PAD_CHILD.sumCommit.toString()) {
      return `link ${parentId} slot ${slot}: past the end of its level it must hold the padding child (root 0, sumCommit P(0,0))`;
    }
    return null;
  }
  if (root !== child.signals[0] || sumCommit !== child.signals[1]) {
    return `link ${parentId} slot ${slot}: childRoot/childSumCommit do not equal the outputs of proof ${child.id}`;
  }
  return null;
}

/** The solvency proof against the top aggregation and the manifest's claims. */
export function checkSolvencyClaims(
  m: BundleManifest,
  solvency: string[],
  top: string[] | undefined,
): string[] {
  const errors: string[] = [];
  const s = (name: keyof typeof SOLVENCY): string => solvency[SOLVENCY[name]]!;
  if (top) {
    if (s('root') !== top[0] || s('sumCommit') !== top[1]) {
      errors.push('link solvency: root/sumCommit do not equal the outputs of the top aggregation proof');
    }
  }
  if (s('reserves') !== m.reserves)
    errors.push(`claim reserves: manifest says ${m.reserves}, the solvency proof says ${s('reserves')}`);
  if (s('snapshotTime') !== m.snapshotTimeMs) {
    errors.push(
      `claim snapshotTime: manifest says ${m.snapshotTimeMs}, the solvency proof says ${s('snapshotTime')}`,
    );
  }
  if (s('currencyId') !== m.currencyId)
    errors.push(
      `claim currencyId: manifest says ${m.currencyId}, the solvency proof says ${s('currencyId')}`,
    );
  if (s('auditHeadHi') !== m.auditHead?.hi || s('auditHeadLo') !== m.auditHead?.lo) {
    errors.push(
      'claim auditHead: the manifest audit head differs from the solvency proof (auditHeadHi/auditHeadLo)',
    );
  }
  const disclose = s('discloseTotal');
  if (m.total === null) {
    if (disclose !== '0' || s('disclosedTotal') !== '0') {
      errors.push('claim total: manifest says undisclosed, the solvency proof discloses a total');
    }
  } else if (disclose !== '1' || s('disclosedTotal') !== m.total) {
    errors.push(
      `claim total: manifest says ${m.total}, the solvency proof says ${disclose === '1' ? s('disclosedTotal') : 'undisclosed'}`,
    );
  }
  if (disclose === '1' && BigInt(s('disclosedTotal')) > BigInt(s('reserves'))) {
    errors.push('claim total: the disclosed total exceeds the reserves');
  }
  return errors;
}
