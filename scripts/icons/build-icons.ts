// Renders the app icon from its one source, resources/icon.svg: `npm run build:icons`.
// Writes resources/icon.png (512×512, the window's icon and electron-builder's Linux icon),
// resources/icon.ico (Windows), resources/icon.icns (macOS) and browser mode's favicon
// (renderer/public/favicon.svg, the source itself: crisp at any size). The outputs are committed.

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Resvg } from '@resvg/resvg-js'
import { icnsFile, icoFile, type PngIcon } from './icon-containers'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const ICON_SOURCE = join(root, 'resources', 'icon.svg')

/** Windows shows 16…48 px in lists and the task bar, 256 px in large views. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
const ICNS_SIZES = [16, 32, 64, 128, 256, 512, 1024]

/** The source drawn at `size` × `size` pixels (each size rendered from the vectors, not scaled down). */
export function renderIcon(svg: string, size: number): PngIcon {
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng()
  return { size, png: new Uint8Array(png) }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]
if (isMain) {
  const svg = readFileSync(ICON_SOURCE, 'utf8')
  const out = (name: string): string => join(root, 'resources', name)
  writeFileSync(out('icon.png'), renderIcon(svg, 512).png)
  writeFileSync(out('icon.ico'), icoFile(ICO_SIZES.map((size) => renderIcon(svg, size))))
  writeFileSync(out('icon.icns'), icnsFile(ICNS_SIZES.map((size) => renderIcon(svg, size))))
  copyFileSync(ICON_SOURCE, join(root, 'renderer', 'public', 'favicon.svg'))
  process.stdout.write(
    'Wrote resources/icon.png, icon.ico, icon.icns and renderer/public/favicon.svg\n'
  )
}
