// What a tooltip must not cover: every element marked data-tooltip-avoid (the training status line),
// unless the tooltip's anchor is part of it. Read from the page, for placeTooltip.

import type { Rect } from './tooltip-placement'

export function areasToAvoid(anchor: Element): Rect[] {
  return Array.from(document.querySelectorAll('[data-tooltip-avoid]'))
    .filter((area) => !area.contains(anchor))
    .map((area) => area.getBoundingClientRect())
}
