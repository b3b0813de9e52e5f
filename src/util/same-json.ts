// Structural equality of two parsed JSON values, through their canonical (RFC 8785) text: key order is
// ignored, array order is not. Browser-safe.
import { canonicalJson, type CanonicalValue } from './canonical-json.js';

/**
 * True when `a` and `b` have the same canonical JSON text. A value that has none (a function, a class
 * instance, a non-finite number, a string with a lone surrogate) is equal to nothing: false, never a throw.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a as CanonicalValue) === canonicalJson(b as CanonicalValue);
  } catch {
    return false;
  }
}
