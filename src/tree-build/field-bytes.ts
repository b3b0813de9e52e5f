// Field elements <-> bytes for the hashing workers: each element as 32 little-endian bytes (the form
// ffjavascript's fromRprLE / toRprLE read and write), and one arity byte per Poseidon input list.
import { FieldError } from '../crypto/errors.js';
import { assertFieldElement } from '../crypto/field.js';

/** A packed batch: `lengths[i]` elements per input list, all elements in `data`, 32 bytes each. */
export interface PackedBatch {
  lengths: Uint8Array<ArrayBuffer>;
  data: Uint8Array<ArrayBuffer>;
}

const MASK = (1n << 64n) - 1n;

/**
 * Packs Poseidon input lists. Checks what poseidon() checks (1..16 inputs, each a bigint in [0, p)) and
 * throws the same FieldError: the WebAssembly field would otherwise reduce an out-of-range input silently.
 */
export function packBatch(inputs: readonly (readonly bigint[])[]): PackedBatch {
  const lengths = new Uint8Array(inputs.length);
  let total = 0;
  inputs.forEach((list, i) => {
    if (!Array.isArray(list) || list.length < 1 || list.length > 16) {
      throw new FieldError(
        `poseidon takes 1..16 inputs, got ${Array.isArray(list) ? list.length : typeof list}`,
      );
    }
    lengths[i] = list.length;
    total += list.length;
  });
  const data = new Uint8Array(total * 32);
  const view = new DataView(data.buffer);
  let o = 0;
  for (const list of inputs) {
    list.forEach((x, i) => {
      assertFieldElement(x, `poseidon input ${i}`);
      let v = x;
      for (let w = 0; w < 4; w++, o += 8) {
        view.setBigUint64(o, v & MASK, true);
        v >>= 64n;
      }
    });
  }
  return { lengths, data };
}

/** Reads `bytes.length / 32` little-endian 32-byte integers. */
export function unpackElements(bytes: Uint8Array): bigint[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<bigint>(bytes.byteLength / 32);
  for (let i = 0; i < out.length; i++) {
    let x = 0n;
    for (let w = 3; w >= 0; w--) x = (x << 64n) | view.getBigUint64(i * 32 + w * 8, true);
    out[i] = x;
  }
  return out;
}
