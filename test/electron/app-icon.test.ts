// The app's icon: one source (resources/icon.svg), the committed PNG, ICO, ICNS and favicon generated
// from it and still matching it, used by the window, the packages and browser mode; and the packaging
// config's fuses.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ICON_SOURCE, renderIcon } from '../../scripts/icons/build-icons'
import { ICNS_TYPES, icnsFile, icoFile } from '../../scripts/icons/icon-containers'
import { REPO_ROOT } from './support/paths'

const resource = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(join(REPO_ROOT, 'resources', name)))
const text = (path: string): string => readFileSync(join(REPO_ROOT, path), 'utf8')

/** A PNG's size from its IHDR chunk, after checking the signature. */
function pngSize(png: Uint8Array): [number, number] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  return [view.getUint32(16), view.getUint32(20)]
}

describe('the app icon', () => {
  const svg = readFileSync(ICON_SOURCE, 'utf8')

  it('is committed as rendered from its source (npm run build:icons), 512×512', () => {
    const png = resource('icon.png')
    expect(pngSize(png)).toEqual([512, 512])
    expect(Buffer.from(png).equals(Buffer.from(renderIcon(svg, 512).png))).toBe(true)
    expect(text('renderer/public/favicon.svg')).toBe(svg)
  })

  it('has a Windows .ico of PNG images from 16 to 256 pixels', () => {
    const ico = resource('icon.ico')
    const view = new DataView(ico.buffer, ico.byteOffset, ico.byteLength)
    expect([view.getUint16(0, true), view.getUint16(2, true)]).toEqual([0, 1])
    const sizes = Array.from({ length: view.getUint16(4, true) }, (_, i) => {
      const entry = 6 + 16 * i
      const [length, offset] = [view.getUint32(entry + 8, true), view.getUint32(entry + 12, true)]
      const [width, height] = pngSize(ico.subarray(offset, offset + length))
      expect(ico[entry] || 256).toBe(width)
      return height
    })
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
  })

  it('has a macOS .icns whose every element is a PNG of the size its type names', () => {
    const icns = resource('icon.icns')
    const view = new DataView(icns.buffer, icns.byteOffset, icns.byteLength)
    expect(String.fromCharCode(...icns.subarray(0, 4))).toBe('icns')
    expect(view.getUint32(4)).toBe(icns.length)
    const sizeOf = new Map(
      Object.entries(ICNS_TYPES).flatMap(([size, types]) => types.map((t) => [t, Number(size)]))
    )
    const types: string[] = []
    for (let at = 8; at < icns.length; at += view.getUint32(at + 4)) {
      const type = String.fromCharCode(...icns.subarray(at, at + 4))
      types.push(type)
      const [width] = pngSize(icns.subarray(at + 8, at + view.getUint32(at + 4)))
      expect(width, type).toBe(sizeOf.get(type))
    }
    expect(types.sort()).toEqual([
      'ic07',
      'ic08',
      'ic09',
      'ic10',
      'ic11',
      'ic12',
      'ic13',
      'ic14',
      'icp4',
      'icp5',
      'icp6'
    ])
  })

  it('refuses sizes its containers cannot hold', () => {
    const png = new Uint8Array(8)
    expect(() => icoFile([{ size: 512, png }])).toThrow(/at most 256/)
    expect(() => icnsFile([{ size: 48, png }])).toThrow(/no ICNS type/)
  })

  it('is the icon of the window, the packages and browser mode', () => {
    expect(text('electron/main/index.ts')).toMatch(
      /join\(__dirname, '\.\.\/\.\.\/resources\/icon\.png'\)/
    )
    const builder = text('electron-builder.yml')
    expect(builder).toMatch(/^ {2}buildResources: resources$/m)
    expect(builder).toMatch(/^ {2}- resources\/icon\.png$/m) // packed, for the window
    expect(text('renderer/index.html')).toMatch(
      /<link rel="icon" type="image\/svg\+xml" href="\.\/favicon\.svg" \/>/
    )
  })
})

describe('electron-builder.yml', () => {
  it('flips the fuses that close side doors into the packaged app', () => {
    const builder = text('electron-builder.yml')
    const fuses = /^electronFuses:\n((?: {2}\w+: \w+\n)+)/m.exec(builder)?.[1] ?? ''
    expect(
      Object.fromEntries(
        fuses
          .trim()
          .split('\n')
          .map((line) => line.trim().split(': '))
      )
    ).toEqual({
      runAsNode: 'false',
      enableCookieEncryption: 'true',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      loadBrowserProcessSpecificV8Snapshot: 'false',
      grantFileProtocolExtraPrivileges: 'false'
    })
  })
})
