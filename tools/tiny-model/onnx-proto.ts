/**
 * A minimal protobuf writer for the ONNX messages a small inference graph needs (ModelProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto), with field numbers from the
 * public onnx.proto. Enough to write a real model without Python or the onnx package.
 */

import { closeSync, openSync, writeSync } from 'node:fs';

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

export const ONNX_FLOAT = 1;
export const ONNX_UINT8 = 2;
export const ONNX_INT8 = 3;
export const ONNX_INT64 = 7;

/** Serialises one message; nested messages are written as their finished bytes. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.size += bytes.length;
  }

  private rawVarint(value: number | bigint): void {
    // int64 fields: negative numbers are written as their 64-bit two's complement (10 bytes).
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.rawVarint((field << 3) | wire);
  }

  varint(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(value.length);
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /**
   * A nested message by reference: its parts are appended, not copied, so a 400 MB embedding table
   * is held once while the model is assembled (finish() or writeTo() copies it once more at the end).
   */
  message(field: number, value: ProtoWriter): this {
    this.tag(field, WIRE_LEN);
    this.rawVarint(value.size);
    for (const p of value.parts) this.push(p);
    return this;
  }

  get byteLength(): number {
    return this.size;
  }

  /** Writes the message to a file part by part (no single buffer of the whole model). */
  writeTo(path: string): number {
    const fd = openSync(path, 'w');
    try {
      for (const p of this.parts) writeSync(fd, p);
    } finally {
      closeSync(fd);
    }
    return this.size;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

export type TensorData = Float32Array | BigInt64Array | Int8Array | Uint8Array;

function rawBytes(data: TensorData): Uint8Array {
  // ONNX raw_data is little-endian, as typed arrays are on every platform Node runs on.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function elemType(data: TensorData): number {
  if (data instanceof Float32Array) return ONNX_FLOAT;
  if (data instanceof BigInt64Array) return ONNX_INT64;
  if (data instanceof Int8Array) return ONNX_INT8;
  return ONNX_UINT8;
}

/** TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9. */
export function tensorProto(name: string, dims: readonly number[], data: TensorData): ProtoWriter {
  const t = new ProtoWriter();
  for (const d of dims) t.varint(1, d);
  t.varint(2, elemType(data));
  t.string(8, name);
  t.bytes(9, rawBytes(data));
  return t;
}

/**
 * ValueInfoProto (name = 1, type = 2) → TypeProto.tensor_type = 1 → { elem_type = 1, shape = 2 } →
 * TensorShapeProto.dim = 1 → { dim_value = 1 | dim_param = 2 }. Strings are symbolic dimensions.
 */
export function valueInfo(name: string, elemType: number, shape: readonly (number | string)[]): ProtoWriter {
  const dims = new ProtoWriter();
  for (const d of shape) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.varint(1, d);
    else dim.string(2, d);
    dims.message(1, dim);
  }
  const tensorType = new ProtoWriter().varint(1, elemType).message(2, dims);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, name).message(2, type);
}

export type AttrValue = number | number[] | string | { float: number };

/** AttributeProto: name = 1, f = 2, i = 3, s = 4, ints = 8, type = 20 (FLOAT 1, INT 2, STRING 3, INTS 7). */
function attribute(name: string, value: AttrValue): ProtoWriter {
  const a = new ProtoWriter().string(1, name);
  if (typeof value === 'number') a.varint(3, value).varint(20, 2);
  else if (typeof value === 'string') a.string(4, value).varint(20, 3);
  else if (Array.isArray(value)) {
    for (const v of value) a.varint(8, v);
    a.varint(20, 7);
  } else a.float(2, value.float).varint(20, 1);
  return a;
}

/** NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
export function nodeProto(
  op: string,
  inputs: readonly string[],
  outputs: readonly string[],
  name: string,
  attrs: Record<string, AttrValue> = {},
): ProtoWriter {
  const n = new ProtoWriter();
  for (const i of inputs) n.string(1, i);
  for (const o of outputs) n.string(2, o);
  n.string(3, name).string(4, op);
  for (const [k, v] of Object.entries(attrs)) n.message(5, attribute(k, v));
  return n;
}

export interface GraphParts {
  name: string;
  nodes: ProtoWriter[];
  initializers: ProtoWriter[];
  inputs: ProtoWriter[];
  outputs: ProtoWriter[];
}

/** ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8. */
export function modelProto(graph: GraphParts, opts: { irVersion: number; opset: number; producer: string }): Uint8Array {
  return modelWriter(graph, opts).finish();
}

/** The ModelProto as a writer, for models too big to hold twice (write it with writeTo). */
export function modelWriter(graph: GraphParts, opts: { irVersion: number; opset: number; producer: string }): ProtoWriter {
  const g = new ProtoWriter();
  for (const n of graph.nodes) g.message(1, n);
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, t);
  for (const i of graph.inputs) g.message(11, i);
  for (const o of graph.outputs) g.message(12, o);
  // OperatorSetIdProto: domain = 1 (empty: the default ai.onnx domain), version = 2.
  const opset = new ProtoWriter().string(1, '').varint(2, opts.opset);
  return new ProtoWriter()
    .varint(1, opts.irVersion)
    .string(2, opts.producer)
    .string(3, '1')
    .message(7, g)
    .message(8, opset);
}
