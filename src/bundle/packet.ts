// The one checked parser of inclusion packets (protocol.md §8), used by the CLI (bundle-io/read.ts), the
// library and the verification page. Browser-safe.
//
// It checks the packet's shape: every field present, with the JSON type the format gives it. What the values
// mean (canonical decimals, ranges, whether the packet belongs to a bundle) is the inclusion verifier's to
// check (verify/verify-inclusion.ts), which names the problem in its reason.
import { BundleReadError, PacketFormatError } from './errors.js';
import type { InclusionPacket, PacketSignature } from './format.js';

type FieldType = 'string' | 'number' | 'levels';

/** Each field's JSON type, in protocol.md §8 order (`levels`: a list of lists of strings). */
// prettier-ignore
const FIELDS: Readonly<Record<Exclude<keyof InclusionPacket, 'signature'>, FieldType>> = {
  protocol: 'string', currency: 'string', snapshotTime: 'string', snapshotTimeMs: 'string',
  accountId: 'string', externalRef: 'string', balance: 'string', salt: 'string',
  chunk: 'number', leaf: 'number', siblings: 'levels', root: 'string', sumCommit: 'string',
};

/** The protocol.md §8 fields of a packet, in order (a packet signature covers exactly these). */
export const PACKET_FIELDS = Object.keys(FIELDS) as readonly (keyof typeof FIELDS)[];

/** The string fields of a packet's optional `signature` object. */
const SIGNATURE_FIELDS = ['algorithm', 'role', 'name', 'publicKey', 'bundleDigest', 'signature'] as const;

/** A value as an error message shows it: JSON where it has one, else its type. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Parses an inclusion packet: JSON text (from a file or a browser's file input) or an already parsed value.
 * Throws BundleReadError for text that is not JSON, PacketFormatError (naming the field) for a wrong shape.
 * `source` names the packet in messages, e.g. its file path.
 */
export function parsePacket(input: unknown, source = 'the packet'): InclusionPacket {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new BundleReadError(`${source} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const bad = (field: string | null, what: string): PacketFormatError =>
    new PacketFormatError(`${source} is not a zkreserve inclusion packet: ${what}`, field);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bad(null, `it must be a JSON object, got ${shown(value)}`);
  }
  const record = value as Record<string, unknown>;
  const packet: Record<string, unknown> = {};
  for (const [name, type] of Object.entries(FIELDS)) {
    const v = record[name];
    if (type === 'levels') {
      packet[name] = siblingsOf(v, bad);
    } else if (typeof v !== type) {
      throw bad(name, `${name} must be a ${type}, got ${shown(v)}`);
    } else {
      packet[name] = v;
    }
  }
  if (record.signature !== undefined) packet.signature = signatureOf(record.signature, bad);
  return packet as unknown as InclusionPacket;
}

/** A packet's `signature`: an object of string fields (whether it verifies is publication/'s to check). */
function signatureOf(v: unknown, bad: (field: string, what: string) => PacketFormatError): PacketSignature {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw bad('signature', `signature must be an object, got ${shown(v)}`);
  }
  const s = v as Record<string, unknown>;
  for (const f of SIGNATURE_FIELDS) {
    if (typeof s[f] !== 'string')
      throw bad(`signature.${f}`, `signature.${f} must be a string, got ${shown(s[f])}`);
  }
  return Object.fromEntries(SIGNATURE_FIELDS.map((f) => [f, s[f]])) as unknown as PacketSignature;
}

function siblingsOf(v: unknown, bad: (field: string, what: string) => PacketFormatError): string[][] {
  if (!Array.isArray(v)) throw bad('siblings', `siblings must be a list of levels, got ${shown(v)}`);
  return v.map((level: unknown, i) => {
    if (!Array.isArray(level)) {
      throw bad(`siblings[${i}]`, `siblings[${i}] must be a list of strings, got ${shown(level)}`);
    }
    level.forEach((s: unknown, j) => {
      if (typeof s !== 'string') {
        throw bad(`siblings[${i}][${j}]`, `siblings[${i}][${j}] must be a string, got ${shown(s)}`);
      }
    });
    return [...(level as string[])];
  });
}
