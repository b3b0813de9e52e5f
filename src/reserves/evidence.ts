// The reserve evidence file `reserves/evidence.json` (docs/reserves.md "Evidence"): its types and a strict
// parser (a wrong shape is an InvalidEvidenceError naming the field). Signatures are checked elsewhere
// (verify-evidence.ts). Browser-safe.
import { InvalidEvidenceError } from './errors.js';
import { assertOperatorName } from './challenge.js';

/** The `format` tag of an evidence file. */
export const EVIDENCE_FORMAT = 'zkreserve/2/reserves-evidence';

/** Longest declared window on either side of T: 30 days. */
export const MAX_WINDOW_SECONDS = 30 * 24 * 3600;

/** An Ethereum-style address held on an EVM chain, with an EIP-191 `personal_sign` over the challenge. */
export interface EvmItem {
  kind: 'evm';
  chainId: number;
  address: string;
  /** `native` (ETH on the chain) or an ERC-20 token contract address. */
  asset: string;
  /** Balance claimed, in the bundle currency's minor units (decimal string). */
  balance: string;
  blockNumber: number;
  blockHash: string;
  /** The block's timestamp, ISO 8601 UTC. */
  blockTime: string;
  /** 65-byte EIP-191 signature (0x hex); for a contract wallet, whatever its isValidSignature accepts. */
  signature: string;
  /** An EIP-1271 contract wallet: checked only online (`--rpc`). */
  contract?: true;
}

/** A Bitcoin address with a BIP-137 or BIP-322 (simple) signed message over the challenge. */
export interface BitcoinItem {
  kind: 'bitcoin';
  /** Default `mainnet`. */
  network?: 'mainnet' | 'testnet';
  address: string;
  /** Balance claimed, in satoshis (decimal string). */
  balance: string;
  height: number;
  blockHash: string;
  blockTime: string;
  /** `bip137`: 65-byte compact signature; `bip322`: BIP-322 simple (witness stack); base64 either way. */
  format: 'bip137' | 'bip322';
  signature: string;
}

/** A custodian's or bank's signed statement of an account balance. */
export interface CustodianItem {
  kind: 'custodian';
  custodian: string;
  account: string;
  currency: string;
  /** In minor units (decimal string). */
  amount: string;
  asOf: string;
  /** The round's challenge, as the custodian signed it (inside the statement, statement.ts). */
  challenge: string;
  /** Ed25519 public key (32 bytes, hex) the custodian states it signed with: it must be pinned to count. */
  publicKey: string;
  /** Ed25519 signature (64 bytes, hex) over the statement text. */
  signature: string;
}

export type EvidenceItem = EvmItem | BitcoinItem | CustodianItem;

/** An asset the operator declares as the bundle currency, beyond the built-in registry (assets.ts). */
export type AssetMapping =
  { kind: 'evm'; chainId: number; asset: string } | { kind: 'bitcoin'; network: 'mainnet' | 'testnet' };

/** The whole evidence file. */
export interface ReservesEvidence {
  format: typeof EVIDENCE_FORMAT;
  operator: string;
  /** The challenge text (challenge.ts); verification recomputes it from the manifest and compares. */
  challenge: string;
  /** The operator's declared window around T: block and as-of times must lie in [T - before, T + after]. */
  window: { beforeSeconds: number; afterSeconds: number };
  assets?: AssetMapping[];
  items: EvidenceItem[];
}

type Obj = Record<string, unknown>;

function obj(v: unknown, what: string): Obj {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new InvalidEvidenceError(`${what} must be an object`);
  return v as Obj;
}

function onlyKeys(o: Obj, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k))
      throw new InvalidEvidenceError(`${what} has an unknown field ${JSON.stringify(k)}`);
  }
}

function str(o: Obj, key: string, what: string, re?: RegExp, max = 200): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0 || v.length > max || (re && !re.test(v))) {
    throw new InvalidEvidenceError(`${what}.${key} is missing or malformed: ${JSON.stringify(v)}`);
  }
  return v;
}

function int(o: Obj, key: string, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max) {
    throw new InvalidEvidenceError(
      `${what}.${key} must be an integer in 0..${max}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

const MINOR = /^(0|[1-9][0-9]{0,77})$/;
const EVM_ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HEX32 = /^(0x)?[0-9a-fA-F]{64}$/;
const PRINTABLE = /^[\x20-\x7e]+$/;

function parseEvm(o: Obj, what: string): EvmItem {
  onlyKeys(
    o,
    [
      'kind',
      'chainId',
      'address',
      'asset',
      'balance',
      'blockNumber',
      'blockHash',
      'blockTime',
      'signature',
      'contract',
    ],
    what,
  );
  if (o.contract !== undefined && o.contract !== true)
    throw new InvalidEvidenceError(`${what}.contract must be true when present`);
  const asset = str(o, 'asset', what);
  if (asset !== 'native' && !EVM_ADDRESS.test(asset)) {
    throw new InvalidEvidenceError(
      `${what}.asset must be "native" or an ERC-20 contract address, got ${JSON.stringify(asset)}`,
    );
  }
  return {
    kind: 'evm',
    chainId: int(o, 'chainId', what),
    address: str(o, 'address', what, EVM_ADDRESS),
    asset,
    balance: str(o, 'balance', what, MINOR),
    blockNumber: int(o, 'blockNumber', what),
    blockHash: str(o, 'blockHash', what, /^0x[0-9a-fA-F]{64}$/),
    blockTime: str(o, 'blockTime', what),
    signature: str(o, 'signature', what, /^0x([0-9a-fA-F]{2})+$/, 20000),
    ...(o.contract === true ? { contract: true as const } : {}),
  };
}

function parseBitcoin(o: Obj, what: string): BitcoinItem {
  onlyKeys(
    o,
    ['kind', 'network', 'address', 'balance', 'height', 'blockHash', 'blockTime', 'format', 'signature'],
    what,
  );
  if (o.network !== undefined && o.network !== 'mainnet' && o.network !== 'testnet') {
    throw new InvalidEvidenceError(`${what}.network must be "mainnet" or "testnet"`);
  }
  const format = str(o, 'format', what);
  if (format !== 'bip137' && format !== 'bip322')
    throw new InvalidEvidenceError(`${what}.format must be "bip137" or "bip322"`);
  return {
    kind: 'bitcoin',
    ...(o.network !== undefined ? { network: o.network as 'mainnet' | 'testnet' } : {}),
    address: str(o, 'address', what, /^[0-9A-Za-z]{14,90}$/),
    balance: str(o, 'balance', what, MINOR),
    height: int(o, 'height', what),
    blockHash: str(o, 'blockHash', what, HEX32),
    blockTime: str(o, 'blockTime', what),
    format,
    signature: str(o, 'signature', what, /^[A-Za-z0-9+/]+={0,2}$/, 20000),
  };
}

function parseCustodian(o: Obj, what: string): CustodianItem {
  onlyKeys(
    o,
    ['kind', 'custodian', 'account', 'currency', 'amount', 'asOf', 'challenge', 'publicKey', 'signature'],
    what,
  );
  return {
    kind: 'custodian',
    custodian: str(o, 'custodian', what, PRINTABLE, 100),
    account: str(o, 'account', what, PRINTABLE, 100),
    currency: str(o, 'currency', what, /^[A-Z0-9]{1,31}$/),
    amount: str(o, 'amount', what, MINOR),
    asOf: str(o, 'asOf', what),
    challenge: str(o, 'challenge', what, /^[\x20-\x7e\n]+$/, 1000),
    publicKey: str(o, 'publicKey', what, /^[0-9a-f]{64}$/),
    signature: str(o, 'signature', what, /^[0-9a-f]{128}$/),
  };
}

/** Parses one evidence item (`what` names it in errors, e.g. `items[2]`). */
export function parseEvidenceItem(v: unknown, what: string): EvidenceItem {
  const o = obj(v, what);
  if (o.kind === 'evm') return parseEvm(o, what);
  if (o.kind === 'bitcoin') return parseBitcoin(o, what);
  if (o.kind === 'custodian') return parseCustodian(o, what);
  throw new InvalidEvidenceError(
    `${what}.kind must be "evm", "bitcoin" or "custodian", got ${JSON.stringify(o.kind)}`,
  );
}

function parseAssetMapping(v: unknown, what: string): AssetMapping {
  const o = obj(v, what);
  if (o.kind === 'evm') {
    onlyKeys(o, ['kind', 'chainId', 'asset'], what);
    const asset = str(o, 'asset', what);
    if (asset !== 'native' && !EVM_ADDRESS.test(asset))
      throw new InvalidEvidenceError(`${what}.asset must be "native" or a token address`);
    return { kind: 'evm', chainId: int(o, 'chainId', what), asset };
  }
  if (o.kind === 'bitcoin') {
    onlyKeys(o, ['kind', 'network'], what);
    if (o.network !== 'mainnet' && o.network !== 'testnet')
      throw new InvalidEvidenceError(`${what}.network must be "mainnet" or "testnet"`);
    return { kind: 'bitcoin', network: o.network };
  }
  throw new InvalidEvidenceError(`${what}.kind must be "evm" or "bitcoin"`);
}

/** Parses a whole evidence value (the parsed JSON of `reserves/evidence.json`). */
export function parseEvidence(v: unknown, what = 'reserves/evidence.json'): ReservesEvidence {
  const o = obj(v, what);
  onlyKeys(o, ['format', 'operator', 'challenge', 'window', 'assets', 'items'], what);
  if (o.format !== EVIDENCE_FORMAT)
    throw new InvalidEvidenceError(`${what}.format must be ${JSON.stringify(EVIDENCE_FORMAT)}`);
  try {
    assertOperatorName(o.operator);
  } catch (e) {
    throw new InvalidEvidenceError(`${what}.operator: ${(e as Error).message}`);
  }
  const w = obj(o.window, `${what}.window`);
  onlyKeys(w, ['beforeSeconds', 'afterSeconds'], `${what}.window`);
  if (o.assets !== undefined && !Array.isArray(o.assets))
    throw new InvalidEvidenceError(`${what}.assets must be an array`);
  if (!Array.isArray(o.items)) throw new InvalidEvidenceError(`${what}.items must be an array`);
  return {
    format: EVIDENCE_FORMAT,
    operator: o.operator,
    challenge: str(o, 'challenge', what, /^[\x20-\x7e\n]+$/, 1000),
    window: {
      beforeSeconds: int(w, 'beforeSeconds', `${what}.window`, MAX_WINDOW_SECONDS),
      afterSeconds: int(w, 'afterSeconds', `${what}.window`, MAX_WINDOW_SECONDS),
    },
    ...(o.assets !== undefined
      ? { assets: (o.assets as unknown[]).map((a, i) => parseAssetMapping(a, `${what}.assets[${i}]`)) }
      : {}),
    items: o.items.map((it, i) => parseEvidenceItem(it, `${what}.items[${i}]`)),
  };
}
