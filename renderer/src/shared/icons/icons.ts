// The line icons of the studio's buttons, drawn once on a 20×20 grid and named by what they do, so a
// button says `<AppIcon name="undo" />` and two buttons that mean the same show the same picture.

/** One icon: an SVG path on the 20×20 grid, and dots (cx, cy, r) drawn over it. */
export interface IconShape {
  readonly path: string
  readonly dots?: readonly (readonly [cx: number, cy: number, r: number])[]
}

export const ICONS = {
  play: { path: 'M6 4l10 6-10 6z' },
  pause: { path: 'M5 4h3.5v12H5zM11.5 4H15v12h-3.5z' },
  step: { path: 'M4 4l8 6-8 6zM13 4h3v12h-3z' },
  stop: { path: 'M5 5h10v10H5z' },
  reset: { path: 'M10 4a6 6 0 1 1-5.6 3.9l1.9.7A4 4 0 1 0 10 6v2.5L6 5l4-3.5z' },
  /** A die showing four: a new random seed. */
  seed: {
    path: 'M4 4h12v12H4z',
    dots: [
      [7.5, 7.5, 1.2],
      [12.5, 12.5, 1.2],
      [12.5, 7.5, 1.2],
      [7.5, 12.5, 1.2]
    ]
  },
  rename: { path: 'M13.6 3.4l3 3L7 16H4v-3z' },
  download: { path: 'M10 3v9m0 0l-3.5-3.5M10 12l3.5-3.5M4 14v3h12v-3' },
  delete: { path: 'M5 6h10M8 6V4h4v2M6.5 6l.7 10h5.6l.7-10' },
  /** Two sliders: a chart's options. */
  options: {
    path: 'M3 6h14M3 14h14',
    dots: [
      [7, 6, 2],
      [13, 14, 2]
    ]
  },
  undo: { path: 'M8 4L3 8.5 8 13v-3c4 0 6.5 1 8 4.5C15.5 9.5 13 7 8 7z' },
  clear: { path: 'M5 6h10l-1 11H6zM8 3h4l1 2H7zM3.5 5h13v1.5h-13z' },
  add: { path: 'M9 4h2v5h5v2h-5v5H9v-5H4V9h5z' },
  /** A push pin: keep this (a pinned run's time-travel data). */
  pin: { path: 'M7.5 3h5l-.8 5 3.3 3H5l3.3-3zM10 11v6' }
} as const satisfies Record<string, IconShape>

export type IconName = keyof typeof ICONS
