// RFC 8785 (JSON Canonicalization Scheme) serialization, extended so that bigints become decimal strings.
// Object keys are sorted by UTF-16 code units, strings and numbers are serialized as ECMAScript's
// JSON.stringify does (which is what RFC 8785 specifies), no whitespace.
import { InvalidArgumentError } from '../errors.js';

export type CanonicalValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when `s` has no lone UTF-16 surrogate (so that its UTF-8 encoding is lossless). */
export function isWellFormedText(s: string): boolean {
  return !SURROGATE.test(s) || !LONE_SURROGATE.test(s);
}

/** JSON string literal of a well-formed string (RFC 8785 escaping = ECMAScript JSON.stringify). */
export function jsonString(s: string): string {
  if (!isWellFormedText(s))
    throw new InvalidArgumentError('canonical JSON: string contains a lone surrogate');
  return JSON.stringify(s);
}

const str = jsonString;

function write(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(str(value));
      return;
    case 'bigint':
      out.push('"', value.toString(), '"');
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new InvalidArgumentError(`canonical JSON: non-finite number ${value}`);
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object': {
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          const v: unknown = value[i];
          if (v === undefined) throw new InvalidArgumentError('canonical JSON: undefined array element');
          write(v, out);
        }
        out.push(']');
        return;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new InvalidArgumentError(
          'canonical JSON: only plain objects, arrays and primitives are allowed',
        );
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      out.push('{');
      keys.forEach((k, i) => {
        if (i > 0) out.push(',');
        out.push(str(k), ':');
        write(obj[k], out);
      });
      out.push('}');
      return;
    }
    default:
      throw new InvalidArgumentError(`canonical JSON: cannot serialize a ${typeof value}`);
  }
}

/** Canonical (RFC 8785) JSON text of `value`; bigints are written as decimal strings. */
export function canonicalJson(value: CanonicalValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}
