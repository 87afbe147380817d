/**
 * Dot products of float32 rows as a WebAssembly SIMD kernel, for k-means (clusters/clusterers/
 * kmeans.ts): the fit's time is nearly all dot products of one 256-dimension row with one centroid
 * (Elkan's bounds leave a few percent of the pairs, but in no order that lets several share loads),
 * and in JS such a product is one chain of dependent float64 additions. Here the products are still
 * float64 (each float32 operand widened exactly, as JS does), summed in eight lanes — lane l takes
 * dimensions d ≡ l (mod 8), in order — by four two-lane vector accumulators, then
 *
 *   dot = ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇)), then + x_d·y_d for the last dim mod 8,
 *
 * which is the definition of `dot` everywhere k-means uses it (the same bits for the same pair in
 * either order, deterministic on every platform: only IEEE multiplications and additions).
 * `dotF32` below is the same sum in plain JS, for tests and as the reference.
 *
 * Memory: the kernel's own (`DotKernel`, or the process's shared one), laid out by the caller with
 * `floats`/`doubles`.
 */
import { assemble, sleb, uleb, F64, I32, V128, BLOCK, LOOP, BR_IF, END, VOID, LOCAL_GET, LOCAL_SET, LOCAL_TEE, I32_CONST, I32_LT_U, I32_GE_U, I32_ADD, I32_SHL } from './wasm.js';

// Its own opcodes (core spec §5.4, the common ones are math/wasm.ts's; SIMD: prefix 0xfd, then the
// opcode as unsigned LEB128).
const CALL = 0x10;
const F32_LOAD = 0x2a;
const F64_STORE = 0x39;
const I32_AND = 0x71;
const F64_ADD = 0xa0;
const F64_MUL = 0xa2;
const F64_PROMOTE_F32 = 0xbb;
const SIMD = 0xfd;
const V128_LOAD64_ZERO = [SIMD, ...uleb(0x5d)];
const F64X2_PROMOTE_LOW_F32X4 = [SIMD, ...uleb(0x5f)];
const F64X2_EXTRACT_LANE = [SIMD, ...uleb(0x21)];
const F64X2_ADD = [SIMD, ...uleb(0xf0)];
const F64X2_MUL = [SIMD, ...uleb(0xf2)];

/** dot(a, b, dim) → f64: the rows of `dim` float32 at byte addresses a and b. */
function dotFunction() {
  const [A, B, DIM, END8, STOP] = [0, 1, 2, 3, 4];
  const ACC = 5; // 5..8: four f64x2 accumulators (lanes 0–1, 2–3, 4–5, 6–7)
  const S = 9;
  const b: number[] = [];
  // stop = a + 4·dim; end8 = a + 4·(dim − dim mod 8)
  b.push(LOCAL_GET, A, LOCAL_GET, DIM, I32_CONST, 2, I32_SHL, I32_ADD, LOCAL_SET, STOP);
  b.push(LOCAL_GET, A, LOCAL_GET, DIM, I32_CONST, ...sleb(-8), I32_AND, I32_CONST, 2, I32_SHL, I32_ADD, LOCAL_SET, END8);
  b.push(BLOCK, VOID, LOCAL_GET, A, LOCAL_GET, END8, I32_GE_U, BR_IF, 0, LOOP, VOID);
  for (let q = 0; q < 4; q++) {
    b.push(LOCAL_GET, ACC + q);
    b.push(LOCAL_GET, A, ...V128_LOAD64_ZERO, 3, ...uleb(8 * q), ...F64X2_PROMOTE_LOW_F32X4);
    b.push(LOCAL_GET, B, ...V128_LOAD64_ZERO, 3, ...uleb(8 * q), ...F64X2_PROMOTE_LOW_F32X4);
    b.push(...F64X2_MUL, ...F64X2_ADD, LOCAL_SET, ACC + q);
  }
  b.push(LOCAL_GET, B, I32_CONST, 32, I32_ADD, LOCAL_SET, B);
  b.push(LOCAL_GET, A, I32_CONST, 32, I32_ADD, LOCAL_TEE, A, LOCAL_GET, END8, I32_LT_U, BR_IF, 0, END, END);
  // ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
  const pair = (q: number) => [LOCAL_GET, ACC + q, ...F64X2_EXTRACT_LANE, 0, LOCAL_GET, ACC + q, ...F64X2_EXTRACT_LANE, 1, F64_ADD];
  b.push(...pair(0), ...pair(1), F64_ADD, ...pair(2), ...pair(3), F64_ADD, F64_ADD, LOCAL_SET, S);
  // The last dim mod 8 products, one at a time.
  b.push(BLOCK, VOID, LOCAL_GET, A, LOCAL_GET, STOP, I32_GE_U, BR_IF, 0, LOOP, VOID);
  b.push(LOCAL_GET, S, LOCAL_GET, A, F32_LOAD, 2, 0, F64_PROMOTE_F32, LOCAL_GET, B, F32_LOAD, 2, 0, F64_PROMOTE_F32, F64_MUL, F64_ADD, LOCAL_SET, S);
  b.push(LOCAL_GET, B, I32_CONST, 4, I32_ADD, LOCAL_SET, B);
  b.push(LOCAL_GET, A, I32_CONST, 4, I32_ADD, LOCAL_TEE, A, LOCAL_GET, STOP, I32_LT_U, BR_IF, 0, END, END);
  b.push(LOCAL_GET, S);
  return { name: 'dot', params: [I32, I32, I32], results: [F64], locals: [[2, I32], [4, V128], [1, F64]] as [number, number][], body: b };
}

/** dots(a, b, count, dim, out): out[c] = dot(a, b + 4·dim·c, dim) for c < count (f64 at byte address out). */
function dotsFunction() {
  const [A, B, COUNT, DIM, OUT, STRIDE, STOP] = [0, 1, 2, 3, 4, 5, 6];
  const b: number[] = [];
  b.push(LOCAL_GET, DIM, I32_CONST, 2, I32_SHL, LOCAL_SET, STRIDE);
  b.push(LOCAL_GET, OUT, LOCAL_GET, COUNT, I32_CONST, 3, I32_SHL, I32_ADD, LOCAL_SET, STOP);
  b.push(BLOCK, VOID, LOCAL_GET, OUT, LOCAL_GET, STOP, I32_GE_U, BR_IF, 0, LOOP, VOID);
  b.push(LOCAL_GET, OUT, LOCAL_GET, A, LOCAL_GET, B, LOCAL_GET, DIM, CALL, 0, F64_STORE, 3, 0);
  b.push(LOCAL_GET, B, LOCAL_GET, STRIDE, I32_ADD, LOCAL_SET, B);
  b.push(LOCAL_GET, OUT, I32_CONST, 8, I32_ADD, LOCAL_TEE, OUT, LOCAL_GET, STOP, I32_LT_U, BR_IF, 0, END, END);
  return { name: 'dots', params: [I32, I32, I32, I32, I32], results: [], locals: [[2, I32]] as [number, number][], body: b };
}

let compiled: WebAssembly.Module | null = null;

/** A block of the kernel's memory: its view and its byte address. */
export interface Block<T> {
  view: T;
  at: number;
}

/**
 * The kernel over one memory, handed out in 16-byte aligned blocks (`floats`, `doubles`) by the
 * caller, which then passes byte addresses to `dot` and `dots`. `DotKernel.shared(bytes)` is the
 * process's one instance, emptied for each caller (k-means is synchronous: one user at a time): its
 * memory is touched once, where a new 20 MB memory per fit cost ≈ 50 ms of page faults to fill.
 */
export class DotKernel {
  private readonly memory: WebAssembly.Memory;
  private top = 0;
  /** dot(a, b, dim) of two rows at byte addresses a and b. */
  readonly dot: (a: number, b: number, dim: number) => number;
  /** out[c] = dot(a, b + 4·dim·c) for c < count, into f64 at byte address out. */
  readonly dots: (a: number, b: number, count: number, dim: number, out: number) => void;

  /** `bytes`: the memory the caller's blocks need (each block rounded up to 16 bytes). */
  constructor(bytes: number) {
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    compiled ??= new WebAssembly.Module(assemble([dotFunction(), dotsFunction()]));
    const exports = new WebAssembly.Instance(compiled, { env: { mem: this.memory } }).exports;
    this.dot = exports.dot as DotKernel['dot'];
    this.dots = exports.dots as DotKernel['dots'];
  }

  private static one: DotKernel | null = null;

  /** The shared instance, empty, with room for `bytes` (its memory grows when asked for more; earlier blocks are then invalid). */
  static shared(bytes: number): DotKernel {
    const k = (DotKernel.one ??= new DotKernel(bytes));
    const have = k.memory.buffer.byteLength;
    if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
    k.top = 0;
    return k;
  }

  /** Bytes a block of `count` numbers of `size` bytes takes. */
  static bytes(count: number, size: 4 | 8): number {
    return Math.ceil((count * size) / 16) * 16;
  }

  private take(bytes: number): number {
    const at = this.top;
    this.top += Math.ceil(bytes / 16) * 16;
    if (this.top > this.memory.buffer.byteLength) throw new Error(`DotKernel: ${this.top} bytes asked of ${this.memory.buffer.byteLength}`);
    return at;
  }

  floats(count: number): Block<Float32Array> {
    const at = this.take(count * 4);
    return { view: new Float32Array(this.memory.buffer, at, count), at };
  }

  doubles(count: number): Block<Float64Array> {
    const at = this.take(count * 8);
    return { view: new Float64Array(this.memory.buffer, at, count), at };
  }
}

/** The kernel's dot product in plain JS (the same additions in the same order): rows at x[a …], y[b …]. */
export function dotF32(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  const lanes = [0, 0, 0, 0, 0, 0, 0, 0];
  const end8 = dim - (dim % 8);
  for (let d = 0; d < end8; d++) lanes[d % 8] += x[a + d] * y[b + d];
  let s = lanes[0] + lanes[1] + (lanes[2] + lanes[3]) + (lanes[4] + lanes[5] + (lanes[6] + lanes[7]));
  for (let d = end8; d < dim; d++) s += x[a + d] * y[b + d];
  return s;
}
