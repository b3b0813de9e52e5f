// Read the phase-2 contribution list (section 10 of a snarkjs zkey) and recompute each contribution hash
// exactly as `snarkjs zkey verify` prints it: blake2b-512(deltaAfter, g1_s, g1_sx, g2_spx uncompressed,
// transcript). This is the list a transcript is checked against.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { snarkjs } from '../zk/snarkjs.js';
import { CeremonyStateError } from './errors.js';

export interface ZkeyContribution {
  /** 1-based, as `snarkjs zkey verify` numbers them. */
  index: number;
  name: string;
  type: 'contribution' | 'beacon';
  /** blake2b-512, hex, as printed by snarkjs ("contribution #i <name>:"). */
  contributionHash: string;
  beaconHash?: string;
  numIterationsExp?: number;
}

export interface ZkeyContributions {
  /** blake2b-512 of the circuit's initial parameters ("Circuit Hash"). */
  circuitHash: string;
  contributions: ZkeyContribution[];
}

interface Curve {
  G1: { F: { n8: number }; toRprUncompressed(out: Uint8Array, offset: number, p: Uint8Array): void };
  G2: { F: { n8: number }; toRprUncompressed(out: Uint8Array, offset: number, p: Uint8Array): void };
}

let curvePromise: Promise<Curve> | undefined;
function bn128(): Promise<Curve> {
  const g = globalThis as { curve_bn128?: Curve | null };
  if (g.curve_bn128) return Promise.resolve(g.curve_bn128);
  if (!curvePromise) {
    curvePromise = (snarkjs.curves.getCurveFromName('bn128') as Promise<Curve>).finally(() => {
      curvePromise = undefined;
    });
  }
  return curvePromise;
}

async function readSection(file: string, wanted: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const { size } = await fh.stat();
    const read = async (pos: number, len: number) => {
      if (pos + len > size) throw new CeremonyStateError(`${file}: truncated zkey file`);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, pos);
      return buf;
    };
    const head = await read(0, 12);
    if (head.toString('latin1', 0, 4) !== 'zkey') throw new CeremonyStateError(`${file} is not a zkey file`);
    const n = head.readUInt32LE(8);
    let pos = 12;
    for (let i = 0; i < n; i++) {
      const sh = await read(pos, 12);
      const type = sh.readUInt32LE(0);
      const len = Number(sh.readBigUInt64LE(4));
      pos += 12;
      if (type === wanted) return await read(pos, len);
      pos += len;
    }
    throw new CeremonyStateError(`${file}: zkey has no section ${wanted}`);
  } finally {
    await fh.close();
  }
}

/** The contributions recorded in a groth16 zkey, in order, with their hashes. */
export async function readZkeyContributions(file: string): Promise<ZkeyContributions> {
  const sec = await readSection(file, 10);
  const curve = await bn128();
  const n1 = curve.G1.F.n8 * 2;
  const n2 = curve.G2.F.n8 * 2;
  let pos = 0;
  const take = (len: number) => {
    if (pos + len > sec.length) throw new CeremonyStateError(`${file}: malformed contribution section`);
    const b = sec.subarray(pos, pos + len);
    pos += len;
    return b;
  };
  const circuitHash = take(64).toString('hex');
  const count = take(4).readUInt32LE(0);
  const contributions: ZkeyContribution[] = [];
  for (let i = 0; i < count; i++) {
    const points = [take(n1), take(n1), take(n1), take(n2)];
    const transcript = take(64);
    const type = take(4).readUInt32LE(0);
    const paramLen = take(4).readUInt32LE(0);
    const params = take(paramLen);
    const hasher = createHash('blake2b512');
    points.forEach((p, k) => {
      const out = new Uint8Array(p.length);
      (k < 3 ? curve.G1 : curve.G2).toRprUncompressed(out, 0, new Uint8Array(p));
      hasher.update(out);
    });
    hasher.update(transcript);
    const c: ZkeyContribution = {
      index: i + 1,
      name: '',
      type: type === 1 ? 'beacon' : 'contribution',
      contributionHash: hasher.digest('hex'),
    };
    let p = 0;
    while (p < params.length) {
      const t = params[p++]!;
      if (t === 1) {
        const len = params[p++]!;
        c.name = params.subarray(p, p + len).toString('utf8');
        p += len;
      } else if (t === 2) {
        c.numIterationsExp = params[p++]!;
      } else if (t === 3) {
        const len = params[p++]!;
        c.beaconHash = params.subarray(p, p + len).toString('hex');
        p += len;
      } else {
        throw new CeremonyStateError(`${file}: unknown contribution parameter ${t}`);
      }
    }
    contributions.push(c);
  }
  return { circuitHash, contributions };
}
