// Where one value of a parameter sits, in the words of the pictures that show it: a first-layer weight
// is a pixel of a unit's tile, a later weight joins two units, a bias belongs to one unit.

/** Whether `n` is a square (784 = 28²): a dense layer reading an image draws each unit as a tile. */
function side(n: number): number | null {
  const s = Math.round(Math.sqrt(n))
  return s * s === n ? s : null
}

/**
 * "unit 30, pixel (17, 21)" for index 24 017 of a [units, 784] weight; "unit 7, input 3" for a weight
 * [units, inputs] whose inputs are no image; "filter 2, channel 0, (1, 2)" for a conv weight
 * [filters, channels, k, k]; "unit 7" for a bias. The flat index when the shape is not one of these.
 */
export function weightPosition(shape: readonly number[], index: number): string {
  if (shape.length === 1) return `unit ${index}`
  if (shape.length === 2) {
    const [, inputs] = shape
    const unit = Math.floor(index / inputs)
    const input = index % inputs
    const s = side(inputs)
    return s
      ? `unit ${unit}, pixel (${Math.floor(input / s)}, ${input % s})`
      : `unit ${unit}, input ${input}`
  }
  if (shape.length === 4) {
    const [, channels, k] = shape
    const perFilter = channels * k * k
    const within = index % perFilter
    const channel = Math.floor(within / (k * k))
    const pixel = within % (k * k)
    return `filter ${Math.floor(index / perFilter)}, channel ${channel}, (${Math.floor(pixel / k)}, ${pixel % k})`
  }
  return `index ${index}`
}
