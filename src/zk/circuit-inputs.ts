// The witness stage: the tree's plain bigint nodes -> each proof's circuit input (decimal strings, the form
// snarkjs takes) and the public signals that proof must output (protocol.md §4-§6). Pure; browser-safe.
import { SOLVENCY_PUBLIC_INPUTS } from '../protocol/families.js';
import { childNodes } from '../tree/solvency-tree.js';
import type { AggregateNode, ChunkNode, SolvencyTree } from '../tree/solvency-tree.js';

/** A circuit input: signal name -> decimal string, or a list of them for an array signal. */
export type CircuitInput = Record<string, string | string[]>;

function dec(x: bigint): string {
  return x.toString(10);
}

/** The Chunk circuit input (protocol.md §4). */
export function chunkInput(node: ChunkNode): CircuitInput {
  return {
    userCommit: node.leaves.map((l) => dec(l.userCommit)),
    balance: node.leaves.map((l) => dec(l.balance)),
    sumSalt: dec(node.sumSalt),
  };
}

/** The Aggregate circuit input (protocol.md §5): a padding child has sum 0 and sum salt 0. */
export function aggregateInput(tree: SolvencyTree, node: AggregateNode): CircuitInput {
  const below = childNodes(tree, node);
  return {
    childRoot: node.children.map((c) => dec(c.root)),
    childSumCommit: node.children.map((c) => dec(c.sumCommit)),
    childSum: below.map((c) => dec(c?.sum ?? 0n)),
    childSumSalt: below.map((c) => dec(c?.sumSalt ?? 0n)),
    sumSalt: dec(node.sumSalt),
  };
}

/** The Solvency circuit input (protocol.md §6); `publishTotal` sets discloseTotal. */
export function solvencyInput(tree: SolvencyTree, publishTotal: boolean): CircuitInput {
  return {
    root: dec(tree.top.root),
    sumCommit: dec(tree.top.sumCommit),
    reserves: dec(tree.reserves),
    snapshotTime: String(tree.snapshotTime),
    currencyId: dec(tree.currencyId),
    auditHeadHi: dec(tree.auditHead.hi),
    auditHeadLo: dec(tree.auditHead.lo),
    discloseTotal: publishTotal ? '1' : '0',
    disclosedTotal: publishTotal ? dec(tree.total) : '0',
    total: dec(tree.total),
    sumSalt: dec(tree.top.sumSalt),
  };
}

/** The public signals a chunk or aggregation proof must output, in public.json order. */
export function expectedPublicSignals(node: ChunkNode | AggregateNode): string[] {
  const out = [dec(node.root), dec(node.sumCommit)];
  if ('children' in node) {
    for (const c of node.children) out.push(dec(c.root));
    for (const c of node.children) out.push(dec(c.sumCommit));
  }
  return out;
}

/** The solvency proof's public signals, in public.json order. */
export function expectedSolvencySignals(tree: SolvencyTree, publishTotal: boolean): string[] {
  const input = solvencyInput(tree, publishTotal);
  return SOLVENCY_PUBLIC_INPUTS.map((k) => input[k] as string);
}
