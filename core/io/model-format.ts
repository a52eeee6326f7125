// Which of the two model formats the studio reads a file's first bytes are: our model file (JSON text)
// or ONNX (protobuf). By content, never by the file's name.

/** 'json': a Backprop Studio model file; 'onnx': an ONNX model; null: neither. */
export type ModelFileFormat = 'json' | 'onnx'

/** UTF-8 byte-order mark, which some editors put before JSON. */
const BOM = [0xef, 0xbb, 0xbf]
const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d

/**
 * The format of a file from its first bytes (`head`, 2 or more):
 *   json  '{' after an optional BOM and white space
 *   onnx  0x08 then 1..127: ModelProto's field 1 (ir_version, a varint) with a small version.
 * NOTE: protobuf writers (C++, Python, protobufjs) write fields in field-number order, and every ONNX
 * file has an ir_version, so an ONNX file starts with 0x08; no image format we read does (PNG 0x89,
 * JPEG 0xFF, GIF 'G', BMP 'B', WebP 'R').
 */
export function modelFileFormat(head: Uint8Array): ModelFileFormat | null {
  if (head[0] === 0x08 && head[1] >= 1 && head[1] <= 0x7f) return 'onnx'
  let i = BOM.every((b, k) => head[k] === b) ? BOM.length : 0
  while (i < head.length && isSpace(head[i])) i++
  return head[i] === 0x7b ? 'json' : null
}
