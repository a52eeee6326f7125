// A recording stand-in for the 2D canvas under happy-dom (which has none): the tests of components
// that paint pixels read back what each canvas was given.

import { vi } from 'vitest'

/**
 * Makes every canvas's `getContext` the stand-in until `vi.restoreAllMocks()`, and returns what
 * each canvas (by its accessible name) was last given by `putImageData`.
 */
export function recordPaints(): Map<string, number[]> {
  const painted = new Map<string, number[]>()
  const fakeContext = (canvas: HTMLCanvasElement) =>
    ({
      createImageData: (width: number, height: number) => ({
        width,
        height,
        data: new Uint8ClampedArray(width * height * 4)
      }),
      putImageData: (image: ImageData) =>
        painted.set(canvas.getAttribute('aria-label') ?? '?', Array.from(image.data))
    }) as unknown as CanvasRenderingContext2D
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (
    this: HTMLCanvasElement
  ) {
    return fakeContext(this)
  } as unknown as HTMLCanvasElement['getContext'])
  return painted
}
