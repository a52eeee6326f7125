// What each weight tile is called. A hidden unit is not a digit: only the output layer's rows (softmax
// regression, 784 → 10) stand for classes, so only they are named by their digit.

import type { WeightRows } from '@contract'

/** What the rows of a weight snapshot stand for (the worker says, since it knows the layer's place). */
export type TileRows = WeightRows

export interface TileName {
  /** Under the tile: "unit 3", "3" (a class), "filter 3". */
  readonly caption: string
  /** For screen readers and the readout: "Unit 3", "Class 3", "Filter 3". */
  readonly name: string
}

const NOUNS: Readonly<Record<TileRows, string>> = {
  units: 'Unit',
  classes: 'Class',
  filters: 'Filter'
}

export function tileName(rows: TileRows, index: number): TileName {
  const name = `${NOUNS[rows]} ${index}`
  return { caption: rows === 'classes' ? String(index) : name.toLowerCase(), name }
}
