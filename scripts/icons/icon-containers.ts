// The two icon containers desktop systems want, written around PNG images (no library needed):
// Windows' .ico and macOS's .icns. Both simply list PNG files by size.

/** One rendered size: a square PNG `size` pixels wide. */
export interface PngIcon {
  readonly size: number
  readonly png: Uint8Array
}

/**
 * ICO (Windows Vista and later accept PNG entries): ICONDIR (reserved 0, type 1, count; uint16 LE),
 * then one 16-byte ICONDIRENTRY per image (width and height in one byte each, 0 meaning 256; colour
 * count 0; reserved 0; planes 1; 32 bits per pixel; the PNG's length and offset, uint32 LE), then the PNGs.
 */
export function icoFile(icons: readonly PngIcon[]): Uint8Array {
  const directoryBytes = 6 + 16 * icons.length
  const out = new Uint8Array(directoryBytes + icons.reduce((sum, icon) => sum + icon.png.length, 0))
  const view = new DataView(out.buffer)
  view.setUint16(2, 1, true)
  view.setUint16(4, icons.length, true)
  let offset = directoryBytes
  icons.forEach(({ size, png }, i) => {
    if (size > 256) throw new Error(`an ICO image is at most 256 pixels wide, got ${size}`)
    const entry = 6 + 16 * i
    out[entry] = out[entry + 1] = size === 256 ? 0 : size
    view.setUint16(entry + 4, 1, true)
    view.setUint16(entry + 6, 32, true)
    view.setUint32(entry + 8, png.length, true)
    view.setUint32(entry + 12, offset, true)
    out.set(png, offset)
    offset += png.length
  })
  return out
}

/**
 * The ICNS element type for each PNG size (macOS 10.7+): the @1x name, and the @2x names that share
 * its pixels (ic11 is 16@2x = 32 px, ic12 32@2x, ic13 128@2x, ic14 256@2x, ic10 512@2x = 1024 px).
 */
export const ICNS_TYPES: Readonly<Record<number, readonly string[]>> = {
  16: ['icp4'],
  32: ['icp5', 'ic11'],
  64: ['icp6', 'ic12'],
  128: ['ic07'],
  256: ['ic08', 'ic13'],
  512: ['ic09', 'ic14'],
  1024: ['ic10']
}

/**
 * ICNS: "icns" and the file's length (uint32 BE), then elements: a 4-character type, the element's
 * length including these 8 bytes (uint32 BE), the PNG.
 */
export function icnsFile(icons: readonly PngIcon[]): Uint8Array {
  const elements = icons.flatMap(({ size, png }) => {
    const types = ICNS_TYPES[size]
    if (!types) throw new Error(`no ICNS type holds a ${size}-pixel image`)
    return types.map((type) => ({ type, png }))
  })
  const out = new Uint8Array(8 + elements.reduce((sum, e) => sum + 8 + e.png.length, 0))
  const view = new DataView(out.buffer)
  const writeType = (at: number, type: string): void =>
    out.set(
      [...type].map((c) => c.charCodeAt(0)),
      at
    )
  writeType(0, 'icns')
  view.setUint32(4, out.length)
  let at = 8
  for (const { type, png } of elements) {
    writeType(at, type)
    view.setUint32(at + 4, 8 + png.length)
    out.set(png, at + 8)
    at += 8 + png.length
  }
  return out
}
