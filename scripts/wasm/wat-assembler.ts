// A small WebAssembly text-format (WAT) assembler: the subset our hand-written kernels use, nothing more.
//
// Why our own: the kernels in core/wasm/*.wat are part of the "from scratch" engine, and assembling them
// needs a few hundred lines (half of them the opcode table), not a dependency. What it understands:
//   (module
//     (import "env" "memory" (memory $id? MIN MAX? shared?))
//     (func $name (export "name")? (param $p TYPE)* (result TYPE)? (local $l TYPE)*  INSTR* ))
//   INSTR is either flat (`local.get $x`, `i32.add`, `block $done … end`) or folded
//   (`(i32.add (local.get $x) (i32.const 1))`, `(if (then …) (else …))`), mixed freely as in wabt.
//   Value types i32 i64 f32 f64 v128; MVP numeric and memory instructions, control flow, the fixed-width
//   SIMD proposal (v128 loads/stores, splats, lanes, f32x4 / i32x4 / i8x16 arithmetic and comparisons),
//   memory.fill / memory.copy. Numbers: decimal or 0x hex integers; decimal floats, inf, nan.
// Anything else is an error naming the token, so an unsupported instruction never assembles silently.
// The binary format is the one in the WebAssembly core specification, §5 (sections, LEB128, opcodes).

type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128'

const VALUE_TYPE_CODE: Record<ValueType, number> = {
  i32: 0x7f,
  i64: 0x7e,
  f32: 0x7d,
  f64: 0x7c,
  v128: 0x7b
}

export interface AssembleOptions {
  /** Override the memory import's `shared` flag (one source, a shared and a non-shared build). */
  readonly sharedMemory?: boolean
}

export class WatError extends Error {
  override name = 'WatError'
}

// ── tokens and S-expressions ──

type SExpr = string | SExpr[]

/** A quoted string stays recognisable as such after parsing: it keeps its quotes. */
function tokenize(source: string): string[] {
  const tokens: string[] = []
  let i = 0
  while (i < source.length) {
    const c = source[i]
    if (/\s/.test(c)) {
      i++
    } else if (source.startsWith(';;', i)) {
      while (i < source.length && source[i] !== '\n') i++
    } else if (source.startsWith('(;', i)) {
      let depth = 0
      do {
        if (source.startsWith('(;', i)) {
          depth++
          i += 2
        } else if (source.startsWith(';)', i)) {
          depth--
          i += 2
        } else if (i >= source.length) throw new WatError('unterminated block comment')
        else i++
      } while (depth > 0)
    } else if (c === '(' || c === ')') {
      tokens.push(c)
      i++
    } else if (c === '"') {
      const end = source.indexOf('"', i + 1)
      if (end < 0) throw new WatError('unterminated string')
      tokens.push(source.slice(i, end + 1))
      i = end + 1
    } else {
      let end = i
      while (end < source.length && !/[\s()]/.test(source[end]) && !source.startsWith(';;', end))
        end++
      tokens.push(source.slice(i, end))
      i = end
    }
  }
  return tokens
}

function parseSExprs(tokens: string[]): SExpr[] {
  const stack: SExpr[][] = [[]]
  for (const token of tokens) {
    if (token === '(') stack.push([])
    else if (token === ')') {
      const done = stack.pop()
      if (!done || stack.length === 0) throw new WatError('unbalanced ")"')
      stack[stack.length - 1].push(done)
    } else stack[stack.length - 1].push(token)
  }
  if (stack.length !== 1) throw new WatError('unbalanced "(": missing ")"')
  return stack[0]
}

const isList = (e: SExpr | undefined): e is SExpr[] => Array.isArray(e)
const head = (e: SExpr | undefined): string | undefined =>
  isList(e) && typeof e[0] === 'string' ? e[0] : undefined
const isName = (e: SExpr | undefined): e is string => typeof e === 'string' && e.startsWith('$')
const unquote = (s: SExpr): string => {
  if (typeof s !== 'string' || !s.startsWith('"'))
    throw new WatError(`expected a string, got ${show(s)}`)
  return s.slice(1, -1)
}
const show = (e: SExpr | undefined): string =>
  e === undefined ? 'end of input' : isList(e) ? `(${e.map(show).join(' ')})` : e

function valueType(e: SExpr | undefined): ValueType {
  if (e === 'i32' || e === 'i64' || e === 'f32' || e === 'f64' || e === 'v128') return e
  throw new WatError(`expected a value type, got ${show(e)}`)
}

// ── binary encoding helpers ──

class ByteWriter {
  readonly bytes: number[] = []

  byte(...values: number[]): void {
    for (const v of values) this.bytes.push(v & 0xff)
  }

  u32(value: number): void {
    let v = value >>> 0
    do {
      const b = v & 0x7f
      v >>>= 7
      this.byte(v === 0 ? b : b | 0x80)
    } while (v !== 0)
  }

  /** Signed LEB128 of any size (BigInt, so i64 immediates are exact). */
  signed(value: bigint): void {
    let v = value
    for (;;) {
      const b = Number(v & 0x7fn)
      v >>= 7n
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)
      this.byte(done ? b : b | 0x80)
      if (done) return
    }
  }

  name(text: string): void {
    const utf8 = Array.from(new TextEncoder().encode(text))
    this.u32(utf8.length)
    this.byte(...utf8)
  }

  append(other: ByteWriter): void {
    for (const b of other.bytes) this.bytes.push(b)
  }
}

function parseInteger(token: SExpr | undefined, bits: 32 | 64): bigint {
  if (typeof token !== 'string' || !/^[+-]?(0x[0-9a-fA-F_]+|[0-9_]+)$/.test(token)) {
    throw new WatError(`expected an integer, got ${show(token)}`)
  }
  const negative = token.startsWith('-')
  const digits = token.replace(/^[+-]/, '').replaceAll('_', '')
  let value = BigInt(digits)
  if (negative) value = -value
  const limit = 1n << BigInt(bits)
  if (value >= limit || value < -(limit >> 1n))
    throw new WatError(`${token} does not fit in i${bits}`)
  // Unsigned spellings of large values (0xffffffff) mean the same bits as their signed twin.
  if (value >= limit >> 1n) value -= limit
  return value
}

function parseFloatToken(token: SExpr | undefined): number {
  if (typeof token !== 'string') throw new WatError(`expected a number, got ${show(token)}`)
  const t = token.replaceAll('_', '')
  if (/^[+-]?inf$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?nan$/.test(t)) return NaN
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t))
    throw new WatError(`expected a decimal float, got ${token}`)
  return Number(t)
}

function floatBytes(value: number, bits: 32 | 64): number[] {
  const view = new DataView(new ArrayBuffer(bits / 8))
  if (bits === 32) view.setFloat32(0, value, true)
  else view.setFloat64(0, value, true)
  return Array.from(new Uint8Array(view.buffer))
}

// ── the instruction table ──

type Immediate =
  | 'none'
  | 'local'
  | 'func'
  | 'label'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'memarg'
  | 'lane'
  | 'shuffle'
  | 'v128const'
  | 'zeroByte'
  | 'twoZeroBytes'

interface OpInfo {
  /** Opcode bytes: one byte, or a prefix (0xfc / 0xfd) followed by a LEB128 sub-opcode. */
  readonly code: number[]
  readonly imm: Immediate
  /** log2 of the natural alignment, for memory instructions. */
  readonly align?: number
}

const OPS = new Map<string, OpInfo>()
const op = (name: string, code: number, imm: Immediate = 'none', align?: number): void => {
  OPS.set(name, { code: [code], imm, align })
}
const prefixed = (
  prefix: number,
  name: string,
  sub: number,
  imm: Immediate = 'none',
  align?: number
): void => {
  const code = [prefix]
  let v = sub
  do {
    const b = v & 0x7f
    v >>>= 7
    code.push(v === 0 ? b : b | 0x80)
  } while (v !== 0)
  OPS.set(name, { code, imm, align })
}
const simd = (name: string, sub: number, imm: Immediate = 'none', align?: number): void =>
  prefixed(0xfd, name, sub, imm, align)
const series = (
  names: string,
  start: number,
  define: (name: string, code: number) => void
): void => {
  names.split(/\s+/).forEach((name, i) => name !== '_' && define(name, start + i))
}

// Control and variables (block/loop/if/else/end are handled by the assembler itself).
op('unreachable', 0x00)
op('nop', 0x01)
op('br', 0x0c, 'label')
op('br_if', 0x0d, 'label')
op('return', 0x0f)
op('call', 0x10, 'func')
op('drop', 0x1a)
op('select', 0x1b)
op('local.get', 0x20, 'local')
op('local.set', 0x21, 'local')
op('local.tee', 0x22, 'local')
// Memory.
const memoryOps: [string, number, number][] = [
  ['i32.load', 0x28, 2],
  ['i64.load', 0x29, 3],
  ['f32.load', 0x2a, 2],
  ['f64.load', 0x2b, 3],
  ['i32.load8_s', 0x2c, 0],
  ['i32.load8_u', 0x2d, 0],
  ['i32.load16_s', 0x2e, 1],
  ['i32.load16_u', 0x2f, 1],
  ['i64.load8_s', 0x30, 0],
  ['i64.load8_u', 0x31, 0],
  ['i64.load16_s', 0x32, 1],
  ['i64.load16_u', 0x33, 1],
  ['i64.load32_s', 0x34, 2],
  ['i64.load32_u', 0x35, 2],
  ['i32.store', 0x36, 2],
  ['i64.store', 0x37, 3],
  ['f32.store', 0x38, 2],
  ['f64.store', 0x39, 3],
  ['i32.store8', 0x3a, 0],
  ['i32.store16', 0x3b, 1],
  ['i64.store8', 0x3c, 0],
  ['i64.store16', 0x3d, 1],
  ['i64.store32', 0x3e, 2]
]
for (const [name, code, align] of memoryOps) op(name, code, 'memarg', align)
op('memory.size', 0x3f, 'zeroByte')
op('memory.grow', 0x40, 'zeroByte')
prefixed(0xfc, 'memory.copy', 10, 'twoZeroBytes')
prefixed(0xfc, 'memory.fill', 11, 'zeroByte')
// Constants.
op('i32.const', 0x41, 'i32')
op('i64.const', 0x42, 'i64')
op('f32.const', 0x43, 'f32')
op('f64.const', 0x44, 'f64')
// Numeric (MVP), in opcode order 0x45 … 0xbf.
series(
  'i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u ' +
    'i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u ' +
    'f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge ' +
    'i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u ' +
    'i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr ' +
    'i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u ' +
    'i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr ' +
    'f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div ' +
    'f32.min f32.max f32.copysign ' +
    'f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div ' +
    'f64.min f64.max f64.copysign ' +
    'i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u i64.extend_i32_s ' +
    'i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u ' +
    'f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64 ' +
    'f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32 ' +
    'i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64',
  0x45,
  (name, code) => op(name, code)
)
// SIMD (fixed-width, 128-bit): 0xfd prefix, sub-opcodes from the SIMD proposal's opcode table.
simd('v128.load', 0x00, 'memarg', 4)
series(
  'v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u',
  0x01,
  (n, c) => simd(n, c, 'memarg', 3)
)
simd('v128.load8_splat', 0x07, 'memarg', 0)
simd('v128.load16_splat', 0x08, 'memarg', 1)
simd('v128.load32_splat', 0x09, 'memarg', 2)
simd('v128.load64_splat', 0x0a, 'memarg', 3)
simd('v128.store', 0x0b, 'memarg', 4)
simd('v128.const', 0x0c, 'v128const')
simd('i8x16.shuffle', 0x0d, 'shuffle')
simd('i8x16.swizzle', 0x0e)
series('i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat', 0x0f, (n, c) =>
  simd(n, c)
)
series(
  'i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane i16x8.extract_lane_s i16x8.extract_lane_u ' +
    'i16x8.replace_lane i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane ' +
    'f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane',
  0x15,
  (n, c) => simd(n, c, 'lane')
)
series(
  'i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u ' +
    'i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u ' +
    'i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u ' +
    'f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge ' +
    'v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true',
  0x23,
  (n, c) => simd(n, c)
)
simd('v128.load32_zero', 0x5c, 'memarg', 2)
simd('v128.load64_zero', 0x5d, 'memarg', 3)
series(
  'f32x4.demote_f64x2_zero f64x2.promote_low_f32x4 ' +
    'i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u ' +
    'f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest ' +
    'i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s ' +
    'i8x16.sub_sat_u f64x2.ceil f64x2.floor i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc ' +
    'i8x16.avgr_u i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u ' +
    'i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u ' +
    'i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s ' +
    'i16x8.narrow_i32x4_u i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u ' +
    'i16x8.extend_high_i8x16_u i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u ' +
    'i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s ' +
    'i16x8.max_u _ i16x8.avgr_u',
  0x5e,
  (n, c) => simd(n, c)
)
series(
  'i32x4.abs i32x4.neg _ i32x4.all_true i32x4.bitmask _ _ i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s ' +
    'i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add _ _ ' +
    'i32x4.sub _ _ _ i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s',
  0xa0,
  (n, c) => simd(n, c)
)
series(
  'f32x4.abs f32x4.neg _ f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin ' +
    'f32x4.pmax f64x2.abs f64x2.neg _ f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max ' +
    'f64x2.pmin f64x2.pmax i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s ' +
    'f32x4.convert_i32x4_u',
  0xe0,
  (n, c) => simd(n, c)
)

// ── the module ──

interface FuncDecl {
  readonly name: string | undefined
  readonly exportName: string | undefined
  readonly params: { name: string | undefined; type: ValueType }[]
  readonly results: ValueType[]
  readonly locals: { name: string | undefined; type: ValueType }[]
  readonly body: SExpr[]
}

interface MemoryImport {
  readonly module: string
  readonly field: string
  readonly min: number
  readonly max: number | undefined
  readonly shared: boolean
}

/** Assembles WAT source into a WebAssembly binary module. Throws WatError with the offending token. */
export function assembleWat(source: string, { sharedMemory }: AssembleOptions = {}): Uint8Array {
  const top = parseSExprs(tokenize(source))
  if (top.length !== 1 || head(top[0]) !== 'module')
    throw new WatError('expected exactly one (module …)')
  const fields = (top[0] as SExpr[]).slice(1)
  let memory: MemoryImport | undefined
  const funcs: FuncDecl[] = []
  for (const field of fields) {
    switch (head(field)) {
      case 'import':
        memory = parseMemoryImport(field as SExpr[], sharedMemory)
        break
      case 'func':
        funcs.push(parseFunc(field as SExpr[]))
        break
      default:
        throw new WatError(`unsupported module field ${show(field)}`)
    }
  }

  const funcIndex = new Map<string, number>()
  funcs.forEach((f, i) => f.name && funcIndex.set(f.name, i))
  const signatures: string[] = []
  const typeOf = funcs.map((f) => {
    const key = `${f.params.map((p) => p.type).join(',')}->${f.results.join(',')}`
    let index = signatures.indexOf(key)
    if (index < 0) index = signatures.push(key) - 1
    return index
  })

  const out = new ByteWriter()
  out.byte(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00) // "\0asm", version 1

  section(out, 1, (s) => {
    s.u32(signatures.length)
    for (const key of signatures) {
      const [params, results] = key
        .split('->')
        .map((list) => (list ? (list.split(',') as ValueType[]) : []))
      s.byte(0x60)
      s.u32(params.length)
      for (const t of params) s.byte(VALUE_TYPE_CODE[t])
      s.u32(results.length)
      for (const t of results) s.byte(VALUE_TYPE_CODE[t])
    }
  })
  if (memory) {
    const m = memory
    section(out, 2, (s) => {
      s.u32(1)
      s.name(m.module)
      s.name(m.field)
      s.byte(0x02) // import kind: memory
      s.byte(m.max === undefined ? 0x00 : m.shared ? 0x03 : 0x01)
      s.u32(m.min)
      if (m.max !== undefined) s.u32(m.max)
    })
  }
  section(out, 3, (s) => {
    s.u32(funcs.length)
    for (const t of typeOf) s.u32(t)
  })
  const exported = funcs
    .map((f, i) => [f.exportName, i] as const)
    .filter((e): e is readonly [string, number] => e[0] !== undefined)
  section(out, 7, (s) => {
    s.u32(exported.length)
    for (const [name, index] of exported) {
      s.name(name)
      s.byte(0x00) // export kind: function
      s.u32(index)
    }
  })
  section(out, 10, (s) => {
    s.u32(funcs.length)
    for (const f of funcs) {
      const body = new ByteWriter()
      // Locals are declared as runs of one type.
      const runs: [number, ValueType][] = []
      for (const l of f.locals) {
        const last = runs.at(-1)
        if (last && last[1] === l.type) last[0]++
        else runs.push([1, l.type])
      }
      body.u32(runs.length)
      for (const [count, type] of runs) {
        body.u32(count)
        body.byte(VALUE_TYPE_CODE[type])
      }
      new FunctionEmitter(f, funcIndex, body).emitSequence(f.body)
      body.byte(0x0b)
      s.u32(body.bytes.length)
      s.append(body)
    }
  })
  return Uint8Array.from(out.bytes)
}

function section(out: ByteWriter, id: number, fill: (s: ByteWriter) => void): void {
  const s = new ByteWriter()
  fill(s)
  out.byte(id)
  out.u32(s.bytes.length)
  out.append(s)
}

function parseMemoryImport(field: SExpr[], sharedOverride: boolean | undefined): MemoryImport {
  const [, module, name, desc] = field
  if (head(desc) !== 'memory')
    throw new WatError(`only memory imports are supported, got ${show(field)}`)
  const parts = (desc as SExpr[]).slice(1).filter((p) => !isName(p))
  const shared = parts.includes('shared')
  const numbers = parts.filter((p) => p !== 'shared').map((p) => Number(parseInteger(p, 32)))
  if (numbers.length < 1 || numbers.length > 2)
    throw new WatError(`memory needs MIN [MAX], got ${show(desc)}`)
  const wantShared = sharedOverride ?? shared
  if (wantShared && numbers.length < 2) throw new WatError('a shared memory needs a maximum size')
  return {
    module: unquote(module),
    field: unquote(name),
    min: numbers[0],
    max: numbers[1],
    shared: wantShared
  }
}

function parseFunc(field: SExpr[]): FuncDecl {
  let i = 1
  const name = isName(field[i]) ? (field[i++] as string) : undefined
  let exportName: string | undefined
  const params: FuncDecl['params'] = []
  const results: ValueType[] = []
  const locals: FuncDecl['locals'] = []
  for (; i < field.length; i++) {
    const item = field[i]
    const kind = head(item)
    if (kind === 'export') exportName = unquote((item as SExpr[])[1])
    else if (kind === 'param' || kind === 'local') {
      const list = (item as SExpr[]).slice(1)
      const target = kind === 'param' ? params : locals
      if (isName(list[0])) target.push({ name: list[0], type: valueType(list[1]) })
      else for (const t of list) target.push({ name: undefined, type: valueType(t) })
    } else if (kind === 'result')
      for (const t of (item as SExpr[]).slice(1)) results.push(valueType(t))
    else break
  }
  return { name, exportName, params, results, locals, body: field.slice(i) }
}

const BLOCK_OPCODE = { block: 0x02, loop: 0x03, if: 0x04 } as const

/** Emits one function body, resolving local, function and label names. */
class FunctionEmitter {
  private readonly localIndex = new Map<string, number>()
  /** Enclosing blocks, innermost last; `br $l` jumps to the block whose label is $l. */
  private readonly labels: (string | undefined)[] = []

  constructor(
    private readonly func: FuncDecl,
    private readonly funcIndex: Map<string, number>,
    private readonly out: ByteWriter
  ) {
    ;[...func.params, ...func.locals].forEach(
      (v, index) => v.name && this.localIndex.set(v.name, index)
    )
  }

  /** A sequence of flat and folded instructions. */
  emitSequence(items: SExpr[]): void {
    let i = 0
    while (i < items.length) {
      const item = items[i]
      if (isList(item)) {
        this.emitFolded(item)
        i++
        continue
      }
      switch (item) {
        case 'block':
        case 'loop':
        case 'if': {
          i++
          const label = isName(items[i]) ? (items[i++] as string) : undefined
          let type: ValueType | undefined
          if (head(items[i]) === 'result') type = valueType((items[i++] as SExpr[])[1])
          this.openBlock(item, label, type)
          break
        }
        case 'else':
          this.out.byte(0x05)
          i++
          if (isName(items[i])) i++ // `else $label` repeats the if's label
          break
        case 'end':
          if (this.labels.length === 0)
            throw new WatError(`"end" without a block in ${this.func.name ?? 'function'}`)
          this.labels.pop()
          this.out.byte(0x0b)
          i++
          if (isName(items[i])) i++ // `end $label`
          break
        default: {
          const info = OPS.get(item)
          if (!info)
            throw new WatError(`unknown instruction "${item}" in ${this.func.name ?? 'function'}`)
          i = this.emitInstruction(info, items, i + 1)
        }
      }
    }
  }

  private openBlock(
    kind: keyof typeof BLOCK_OPCODE,
    label: string | undefined,
    type: ValueType | undefined
  ): void {
    this.out.byte(BLOCK_OPCODE[kind])
    this.out.byte(type ? VALUE_TYPE_CODE[type] : 0x40)
    this.labels.push(label)
  }

  /** `(op immediates… operands…)`, `(block …)`, `(loop …)` or `(if … (then …) (else …))`. */
  private emitFolded(expr: SExpr[]): void {
    const name = expr[0]
    if (typeof name !== 'string') throw new WatError(`expected an instruction, got ${show(expr)}`)
    if (name === 'block' || name === 'loop' || name === 'if') {
      let i = 1
      const label = isName(expr[i]) ? (expr[i++] as string) : undefined
      let type: ValueType | undefined
      if (head(expr[i]) === 'result') type = valueType((expr[i++] as SExpr[])[1])
      if (name !== 'if') {
        this.openBlock(name, label, type)
        this.emitSequence(expr.slice(i))
      } else {
        const rest = expr.slice(i)
        const thenIndex = rest.findIndex((e) => head(e) === 'then')
        if (thenIndex < 0) throw new WatError(`folded if needs (then …): ${show(expr)}`)
        this.emitSequence(rest.slice(0, thenIndex)) // the condition
        this.openBlock('if', label, type)
        this.emitSequence((rest[thenIndex] as SExpr[]).slice(1))
        const otherwise = rest[thenIndex + 1]
        if (otherwise !== undefined) {
          if (head(otherwise) !== 'else')
            throw new WatError(`expected (else …), got ${show(otherwise)}`)
          this.out.byte(0x05)
          this.emitSequence((otherwise as SExpr[]).slice(1))
        }
      }
      this.labels.pop()
      this.out.byte(0x0b)
      return
    }
    const info = OPS.get(name)
    if (!info)
      throw new WatError(`unknown instruction "${name}" in ${this.func.name ?? 'function'}`)
    // Immediates come first; everything after them is an operand expression, emitted before the op.
    const immediates = new ByteWriter()
    const saved = this.out.bytes.length
    const next = this.emitInstruction(info, expr, 1)
    immediates.bytes.push(...this.out.bytes.splice(saved))
    this.emitSequence(expr.slice(next))
    this.out.append(immediates)
  }

  /** Writes the opcode and its immediates read from items[i…]; returns the index after them. */
  private emitInstruction(info: OpInfo, items: SExpr[], i: number): number {
    const out = this.out
    out.byte(...info.code)
    switch (info.imm) {
      case 'none':
        return i
      case 'local':
        out.u32(this.resolve(items[i], this.localIndex, 'local'))
        return i + 1
      case 'func':
        out.u32(this.resolve(items[i], this.funcIndex, 'function'))
        return i + 1
      case 'label': {
        const target = items[i]
        let depth: number
        if (isName(target)) {
          const index = this.labels.lastIndexOf(target)
          if (index < 0)
            throw new WatError(`unknown label ${target} in ${this.func.name ?? 'function'}`)
          depth = this.labels.length - 1 - index
        } else depth = Number(parseInteger(target, 32))
        out.u32(depth)
        return i + 1
      }
      case 'i32':
        out.signed(parseInteger(items[i], 32))
        return i + 1
      case 'i64':
        out.signed(parseInteger(items[i], 64))
        return i + 1
      case 'f32':
        out.byte(...floatBytes(parseFloatToken(items[i]), 32))
        return i + 1
      case 'f64':
        out.byte(...floatBytes(parseFloatToken(items[i]), 64))
        return i + 1
      case 'memarg': {
        let offset = 0
        let align = info.align ?? 0
        while (typeof items[i] === 'string' && /^(offset|align)=/.test(items[i] as string)) {
          const [key, value] = (items[i] as string).split('=')
          const n = Number(parseInteger(value, 32))
          if (key === 'offset') offset = n
          else {
            align = Math.log2(n)
            if (!Number.isInteger(align)) throw new WatError(`align=${n} is not a power of two`)
          }
          i++
        }
        out.u32(align)
        out.u32(offset)
        return i
      }
      case 'lane':
        out.byte(Number(parseInteger(items[i], 32)))
        return i + 1
      case 'shuffle':
        for (let k = 0; k < 16; k++) out.byte(Number(parseInteger(items[i + k], 32)))
        return i + 16
      case 'v128const': {
        const shape = items[i]
        const lanes = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 }[
          shape as string
        ]
        if (!lanes)
          throw new WatError(`v128.const needs a shape (i32x4, f32x4, …), got ${show(shape)}`)
        const view = new DataView(new ArrayBuffer(16))
        for (let k = 0; k < lanes; k++) {
          const token = items[i + 1 + k]
          const at = (k * 16) / lanes
          if (shape === 'f32x4') view.setFloat32(at, parseFloatToken(token), true)
          else if (shape === 'f64x2') view.setFloat64(at, parseFloatToken(token), true)
          else if (shape === 'i64x2') view.setBigInt64(at, parseInteger(token, 64), true)
          else {
            const bits = 128 / lanes
            const v = Number(parseInteger(token, 32))
            if (bits === 8) view.setInt8(at, v)
            else if (bits === 16) view.setInt16(at, v, true)
            else view.setInt32(at, v, true)
          }
        }
        out.byte(...new Uint8Array(view.buffer))
        return i + 1 + lanes
      }
      case 'zeroByte':
        out.byte(0x00)
        return i
      case 'twoZeroBytes':
        out.byte(0x00, 0x00)
        return i
    }
  }

  private resolve(token: SExpr | undefined, names: Map<string, number>, what: string): number {
    if (isName(token)) {
      const index = names.get(token)
      if (index === undefined)
        throw new WatError(`unknown ${what} ${token} in ${this.func.name ?? 'function'}`)
      return index
    }
    return Number(parseInteger(token, 32))
  }
}
