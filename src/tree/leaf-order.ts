// The keyed leaf order of protocol.md §3 (zkreserve/2): every slot of the padded tree, user or padding,
// gets a pseudo-random sort key derived from the operator secret, the currency and the snapshot time, and
// the slots are filled in key order. A user's position is then uniform over all slots whatever the user
// count and whatever their account id (which anyone can compute), and padding is spread over every chunk.
// Pure; browser-safe.
import { padOrderKey, userOrderKey } from '../protocol/salts.js';
import type { SaltContext } from '../protocol/salts.js';

/** Where each user goes: `userSlot[k]` is the slot (chunk * N + leaf) of `accountIds[k]`. */
export interface LeafOrder {
  userSlot: number[];
  /** `isPadding[s]`: slot s holds a padding leaf. */
  isPadding: boolean[];
}

interface Entry {
  key: string;
  /** 0: user, 1: padding (the tie-break, then `id`). */
  kind: 0 | 1;
  id: string;
  /** Index into the users, or the padding number. */
  index: number;
}

function compare(a: Entry, b: Entry): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.kind !== b.kind) return a.kind - b.kind;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.index - b.index;
}

/**
 * Orders `accountIds` (distinct) and `slots - accountIds.length` padding leaves (numbered j = 0, 1, ...)
 * by their sort keys (protocol.md §3: ascending as 64-hex strings, ties, which need an HMAC collision,
 * broken users first, then by account id or j). Slot s is the s-th entry of that order. `userKeys[k]`, when
 * given, is `accountIds[k]`'s sort key (userOrderKey), already computed and checked (user-derivations.ts).
 */
export function leafOrder(
  ctx: SaltContext,
  accountIds: readonly string[],
  slots: number,
  userKeys?: readonly string[],
): LeafOrder {
  const entries: Entry[] = accountIds.map((id, index) => ({
    key: userKeys ? userKeys[index]! : userOrderKey(ctx, id),
    kind: 0,
    id,
    index,
  }));
  for (let j = 0; j < slots - accountIds.length; j++) {
    entries.push({ key: padOrderKey(ctx, j), kind: 1, id: String(j).padStart(16, '0'), index: j });
  }
  entries.sort(compare);
  const userSlot = new Array<number>(accountIds.length);
  const isPadding = new Array<boolean>(entries.length);
  entries.forEach((e, s) => {
    isPadding[s] = e.kind === 1;
    if (e.kind === 0) userSlot[e.index] = s;
  });
  return { userSlot, isPadding };
}
