// Seeded randomness for the engine. core/ never calls Math.random: a run is fully determined by its seed.

/** A source of uniform samples in [0, 1). */
export type Rng = () => number

/**
 * A seeded stream whose position can be read and set: mulberry32's whole state is one 32-bit number, so
 * a trainer's checkpoint holds it and a restored stream goes on with exactly the draws it would have made.
 */
export interface SeededRng extends Rng {
  /** The generator's 32-bit state now (it advances by 0x6d2b79f5 per draw). */
  readonly position: () => number
  /** Moves the stream to a state `position()` returned. */
  readonly moveTo: (position: number) => void
}

/**
 * mulberry32: a small, fast 32-bit generator with a full 2³² period. Same seed, same sequence.
 * NOTE: not cryptographic, and it does not need to be; it must only be reproducible and well mixed.
 */
export function createRng(seed: number): SeededRng {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Object.assign(next, {
    position: (): number => state,
    moveTo: (position: number): void => {
      state = position >>> 0
    }
  })
}

/**
 * An independent stream derived from a seed and a purpose, so that e.g. the data order does not change
 * when the architecture (and with it the number of samples drawn for initialisation) changes.
 */
export function deriveRng(seed: number, stream: number): SeededRng {
  return createRng(Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream, 0xc2b2ae35))
}

/** Uniform sample in [low, high). */
export function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng()
}

/** Standard normal sample, N(0, 1), by Box–Muller. */
export function randn(rng: Rng): number {
  const u = 1 - rng() // (0, 1], so log(u) is finite
  const v = rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Fisher–Yates shuffle, in place: every permutation is equally likely. */
export function shuffleInPlace(indices: Uint32Array, rng: Rng): void {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const swap = indices[i]
    indices[i] = indices[j]
    indices[j] = swap
  }
}
