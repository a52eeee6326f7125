// The confusion matrix and per-class accuracy as the Evaluate view presents them: each cell's count,
// its accessible name and its shade. Pure: no DOM, no Vue. The counts come from core's evaluate().

/** 'correct' on the diagonal (true = predicted), 'mistake' off it. */
export type CellKind = 'correct' | 'mistake'

export interface ConfusionCell {
  readonly trueClass: number
  readonly predicted: number
  readonly count: number
  /** count / images of the true class (0 for a class with none). */
  readonly rowFraction: number
  readonly kind: CellKind
  /** How strongly to colour the cell, in [0, 1]; 0 exactly when the count is 0. */
  readonly shade: number
  /** The cell's accessible name, e.g. "true 3, predicted 5: 12 images". */
  readonly label: string
}

/** Above this shade the cell's number is written in the light text colour. */
export const LIGHT_TEXT_FROM_SHADE = 0.55

export function imagesText(count: number): string {
  return `${count} ${count === 1 ? 'image' : 'images'}`
}

export function cellLabel(trueClass: number, predicted: number, count: number): string {
  return `true ${trueClass}, predicted ${predicted}: ${imagesText(count)}`
}

/**
 * Rows of cells, confusion[trueClass][predicted] as core computes it. Two scales, because correct
 * counts (hundreds) would make every mistake look empty on a shared one:
 *  - diagonal: the share of the class classified correctly (rowFraction);
 *  - off the diagonal: √(count / the largest mistake count), so a handful of confusions still shows
 *    and the worst confusion is the darkest.
 */
export function confusionCells(
  confusion: readonly (readonly number[])[],
  classCounts: readonly number[]
): ConfusionCell[][] {
  let maxMistake = 0
  confusion.forEach((row, t) =>
    row.forEach((count, p) => t !== p && (maxMistake = Math.max(maxMistake, count)))
  )
  return confusion.map((row, trueClass) =>
    row.map((count, predicted) => {
      const kind: CellKind = trueClass === predicted ? 'correct' : 'mistake'
      const total = classCounts[trueClass] ?? 0
      const rowFraction = total > 0 ? count / total : 0
      const shade =
        count === 0 ? 0 : kind === 'correct' ? rowFraction : Math.sqrt(count / maxMistake)
      return {
        trueClass,
        predicted,
        count,
        rowFraction,
        kind,
        shade,
        label: cellLabel(trueClass, predicted, count)
      }
    })
  )
}

export interface ClassAccuracy {
  readonly digit: number
  readonly correct: number
  readonly count: number
  /** correct / count, or null for a class with no test images. */
  readonly accuracy: number | null
  /** e.g. "digit 3: 91.2% correct (921 of 1010)". */
  readonly label: string
}

/** One row per class: how many of its test images were classified correctly. */
export function classAccuracies(
  confusion: readonly (readonly number[])[],
  classCounts: readonly number[]
): ClassAccuracy[] {
  return classCounts.map((count, digit) => {
    const correct = confusion[digit]?.[digit] ?? 0
    const accuracy = count > 0 ? correct / count : null
    const percent =
      accuracy === null
        ? 'no test images'
        : `${(accuracy * 100).toFixed(1)}% correct (${correct} of ${count})`
    return { digit, correct, count, accuracy, label: `digit ${digit}: ${percent}` }
  })
}

/** The most frequent mistake, e.g. { trueClass: 4, predicted: 9, count: 31 }, or null with none. */
export function worstConfusion(
  confusion: readonly (readonly number[])[]
): { trueClass: number; predicted: number; count: number } | null {
  let worst: { trueClass: number; predicted: number; count: number } | null = null
  confusion.forEach((row, trueClass) =>
    row.forEach((count, predicted) => {
      if (trueClass !== predicted && count > 0 && (!worst || count > worst.count))
        worst = { trueClass, predicted, count }
    })
  )
  return worst
}
