// Order statistics for the pipeline's robust estimates (paper colour, paper noise).

/**
 * The median of a non-empty list: the lower middle value for even lengths, i.e. the element of rank
 * ⌊(n − 1)/2⌋. Quickselect (Hoare's selection) on a copy: expected O(n), where sorting is O(n log n).
 * PERF: the noise estimate takes two medians of ~8 000 samples several times per image.
 */
export function median(values: ArrayLike<number>): number {
  const a = Float64Array.from(values)
  const k = (a.length - 1) >> 1
  let low = 0
  let high = a.length - 1
  while (low < high) {
    const pivot = a[(low + high) >> 1]
    let i = low
    let j = high
    while (i <= j) {
      while (a[i] < pivot) i++
      while (a[j] > pivot) j--
      if (i <= j) {
        const swap = a[i]
        a[i] = a[j]
        a[j] = swap
        i++
        j--
      }
    }
    if (k <= j) high = j
    else if (k >= i) low = i
    else break
  }
  return a[k]
}
