// Colour → grey: the luma of a pixel, the brightness a person sees.

/**
 * Rec. 601 luma, Y = 0.299·R + 0.587·G + 0.114·B (the weights of analogue TV, and of most image tools).
 * Works on any scale: bytes give 0…255, unit floats give 0…1.
 * NOTE: applied to gamma-encoded sRGB values, as every image tool does; "true" linear luminance would
 * weigh dark ink differently, but the difference does not matter for finding strokes.
 */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b
}

/**
 * The grey version of an interleaved RGB plane (3 floats per pixel) as one float per pixel.
 * Shapes: rgb [width·height·3] → [width·height].
 */
export function lumaPlane(rgb: Float32Array): Float32Array {
  const out = new Float32Array(rgb.length / 3)
  for (let i = 0; i < out.length; i++) out[i] = luma(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2])
  return out
}
