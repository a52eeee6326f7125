// The diverging colour map's lookup table for the theme the page is drawn in, switching with it.

import { computed, type ComputedRef } from 'vue'
import { lutFor } from './colormap'
import { useDarkTheme } from '@/shared/theme/useDarkTheme'

export function useDivergingLut(): {
  dark: ComputedRef<boolean>
  lut: ComputedRef<Uint8ClampedArray>
} {
  const isDark = useDarkTheme()
  return { dark: computed(() => isDark.value), lut: computed(() => lutFor(isDark.value)) }
}
