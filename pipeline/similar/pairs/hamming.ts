/**
 * The Hamming test of the LSH candidate pairs (lsh.ts closePairs) as a WebAssembly kernel: one
 * `row` call tests one text of a bucket against the texts after it, with the first text's 512 bits
 * held in eight 64-bit locals and each distance taken by `i64.popcnt` (one instruction for 64 bits,
 * where JS has no population count: a 16-bit table looked up twice per 32-bit word). Same distances,
 * same decisions; on the 10k corpus's buckets the test costs ≈ 2.4 times less CPU than the unrolled
 * JS. The module is eight dozen bytes, assembled below from its opcodes (no toolchain, no dependency).
 *
 * Memory (the instance's own): the n signatures (64 bytes each, the words of Signatures.hamming in
 * the same order), then `order` (n int32: a bucket's texts, as closePairs lays them out), then `out`
 * (n int32: the texts of a row within the distance).
 */

import { assemble, uleb, I32, I64, BLOCK, LOOP, BR_IF, END, VOID, LOCAL_GET, LOCAL_SET, LOCAL_TEE, I32_CONST, I32_LT_U, I32_GE_U, I32_ADD, I32_SHL } from '../../math/wasm.js';

// Its own opcodes (WebAssembly core spec, §5.4; the common ones are math/wasm.ts's).
const I32_LOAD = 0x28;
const I64_LOAD = 0x29;
const I32_STORE = 0x36;
const I32_LE_U = 0x4d;
const I64_POPCNT = 0x7b;
const I64_ADD = 0x7c;
const I64_XOR = 0x85;
const I32_WRAP_I64 = 0xa7;

/**
 * row(u, from, to, max, out) → count. For each position p = from, from+4, … < to (byte addresses of
 * int32 text numbers v), the distance between the signatures of u and v; v is written at
 * out + 4·count and count grows by (distance ≤ max), without a branch. Returns count.
 */
function rowModule(): Uint8Array<ArrayBuffer> {
  const [U, FROM, TO, MAX, OUT] = [0, 1, 2, 3, 4];
  const A = 5; // locals 5..12: the eight 64-bit words of u
  const V = 13;
  const COUNT = 14;
  const PASS = 15;
  const b: number[] = [];
  b.push(LOCAL_GET, U, I32_CONST, 6, I32_SHL, LOCAL_SET, U);
  for (let w = 0; w < 8; w++) b.push(LOCAL_GET, U, I64_LOAD, 3, ...uleb(w * 8), LOCAL_SET, A + w);
  b.push(BLOCK, VOID, LOCAL_GET, FROM, LOCAL_GET, TO, I32_GE_U, BR_IF, 0, LOOP, VOID);
  b.push(LOCAL_GET, FROM, I32_LOAD, 2, 0, I32_CONST, 6, I32_SHL, LOCAL_SET, V);
  for (let w = 0; w < 8; w++) {
    b.push(LOCAL_GET, A + w, LOCAL_GET, V, I64_LOAD, 3, ...uleb(w * 8), I64_XOR, I64_POPCNT);
    if (w > 0) b.push(I64_ADD);
  }
  b.push(I32_WRAP_I64, LOCAL_GET, MAX, I32_LE_U, LOCAL_SET, PASS);
  b.push(LOCAL_GET, OUT, LOCAL_GET, COUNT, I32_CONST, 2, I32_SHL, I32_ADD, LOCAL_GET, FROM, I32_LOAD, 2, 0, I32_STORE, 2, 0);
  b.push(LOCAL_GET, COUNT, LOCAL_GET, PASS, I32_ADD, LOCAL_SET, COUNT);
  b.push(LOCAL_GET, FROM, I32_CONST, 4, I32_ADD, LOCAL_TEE, FROM, LOCAL_GET, TO, I32_LT_U, BR_IF, 0, END, END);
  b.push(LOCAL_GET, COUNT);
  return assemble([{ name: 'row', params: [I32, I32, I32, I32, I32], results: [I32], locals: [[8, I64], [3, I32]], body: b }]);
}

let compiled: WebAssembly.Module | null = null;

/** The kernel over a copy of n signatures (`hamming`: n × 16 words). */
export class HammingRows {
  /** A bucket's texts, filled by the caller; `row` reads positions of it. */
  readonly order: Int32Array;
  /** The texts within the distance found by the last `row`. */
  readonly out: Int32Array;
  private readonly orderAt: number;
  private readonly outAt: number;
  private readonly kernel: (u: number, from: number, to: number, max: number, out: number) => number;

  constructor(hamming: Uint32Array, n: number) {
    const sigBytes = n * 64;
    this.orderAt = sigBytes;
    this.outAt = sigBytes + n * 4;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((this.outAt + n * 4) / 65536)) });
    new Uint32Array(memory.buffer, 0, n * 16).set(hamming.subarray(0, n * 16));
    this.order = new Int32Array(memory.buffer, this.orderAt, n);
    this.out = new Int32Array(memory.buffer, this.outAt, n);
    compiled ??= new WebAssembly.Module(rowModule());
    const instance = new WebAssembly.Instance(compiled, { env: { mem: memory } });
    this.kernel = instance.exports.row as HammingRows['kernel'];
  }

  /** The texts at order[from .. to) within `max` bits of u, into out[0 .. count); returns count. */
  row(u: number, from: number, to: number, max: number): number {
    return this.kernel(u, this.orderAt + from * 4, this.orderAt + to * 4, max, this.outAt);
  }
}
