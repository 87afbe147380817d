/**
 * The few pieces of the WebAssembly binary format (core spec §5) that the project's hand-assembled
 * kernels need (similar/pairs/hamming.ts, math/dot-kernel.ts): LEB128 numbers, names, sections and a
 * module that imports its memory as env.mem. No toolchain and no dependency: each kernel is a few
 * dozen opcodes, written out next to the JS it replaces.
 */

/** Unsigned LEB128. */
export const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};

/** Signed LEB128 (i32.const immediates). */
export const sleb = (n: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

export const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Value types. */
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Control, local and i32 opcodes every kernel uses (core spec §5.4); the rest stay with their kernel. */
export const BLOCK = 0x02;
export const LOOP = 0x03;
export const BR_IF = 0x0d;
export const END = 0x0b;
/** The empty block type. */
export const VOID = 0x40;
export const LOCAL_GET = 0x20;
export const LOCAL_SET = 0x21;
export const LOCAL_TEE = 0x22;
export const I32_CONST = 0x41;
export const I32_LT_U = 0x49;
export const I32_GE_U = 0x4f;
export const I32_ADD = 0x6a;
export const I32_SHL = 0x74;

export interface WasmFunction {
  /** Exported under this name. */
  name: string;
  params: number[];
  results: number[];
  /** Local declarations after the parameters: [count, type] runs. */
  locals: [number, number][];
  /** The body's instructions, without the closing `end`. */
  body: number[];
}

/** A module of the given functions (function i is index i, one type each) over an imported memory env.mem. */
export function assemble(functions: WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.flatMap((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]);
  const codes = functions.flatMap((f) => {
    const body = [...uleb(f.locals.length), ...f.locals.flatMap(([count, type]) => [...uleb(count), type]), ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(functions.length), ...types]),
    ...section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x00, 0x01]),
    ...section(3, [...uleb(functions.length), ...functions.map((_, i) => i)]),
    ...section(7, [...uleb(functions.length), ...functions.flatMap((f, i) => [...name(f.name), 0x00, ...uleb(i)])]),
    ...section(10, [...uleb(functions.length), ...codes]),
  ]);
}
