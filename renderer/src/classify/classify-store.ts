// The Classify view's images: the gallery's cards (newest first), the drawing on the pad, and which
// one the big panel shows. What fills them lives next door: open-files-store.ts (dropped, pasted and
// opened files), drawing-store.ts (the pad), predictions-store.ts (the host's answers) and
// predictor-store.ts (which weights answer, and asking again when they change).

import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { DRAWING_ID, MAX_GALLERY_ITEMS, type ClassifyItem } from './classify-item'

export const useClassifyStore = defineStore('classify', () => {
  /** Newest first. */
  const items = shallowRef<readonly ClassifyItem[]>([])
  const drawing = shallowRef<ClassifyItem | null>(null)
  const selectedId = ref<number | null>(null)
  /** Card ids count up from 1 (DRAWING_ID is 0), for files and kept drawings alike. */
  let nextId = 1

  const selected = computed(() => (selectedId.value === null ? null : find(selectedId.value)))
  /** The cards, and how many of them are ready or failed. */
  const counts = computed(() => {
    let ready = 0
    let failed = 0
    for (const item of items.value) {
      if (item.stage === 'ready') ready++
      else if (item.stage === 'failed') failed++
    }
    return { total: items.value.length, ready, failed }
  })

  function find(id: number): ClassifyItem | null {
    if (id === DRAWING_ID) return drawing.value
    return items.value.find((item) => item.id === id) ?? null
  }

  /** Changes some fields of a card or of the drawing (which is replaced, never mutated). */
  function patch(id: number, changes: Partial<ClassifyItem>): void {
    if (id === DRAWING_ID) {
      if (drawing.value) drawing.value = { ...drawing.value, ...changes }
      return
    }
    items.value = items.value.map((item) => (item.id === id ? { ...item, ...changes } : item))
  }

  function newCardId(): number {
    return nextId++
  }

  /** Puts cards at the front of the gallery; the oldest drop off the end past MAX_GALLERY_ITEMS. */
  function addCards(cards: readonly ClassifyItem[]): void {
    items.value = [...cards, ...items.value].slice(0, MAX_GALLERY_ITEMS)
  }

  function select(id: number | null): void {
    selectedId.value = id
  }

  /** Removes a card; when it was the one shown, its neighbour (or the drawing) is shown instead. */
  function remove(id: number): void {
    const index = items.value.findIndex((item) => item.id === id)
    if (index < 0) return
    items.value = items.value.filter((item) => item.id !== id)
    if (selectedId.value === id)
      selectedId.value =
        (items.value[index] ?? items.value[index - 1])?.id ?? (drawing.value ? DRAWING_ID : null)
  }

  /** Removes every card; the drawing stays, and is shown if a card was. */
  function clearGallery(): void {
    items.value = []
    if (selectedId.value !== DRAWING_ID) selectedId.value = drawing.value ? DRAWING_ID : null
  }

  /** Replaces the drawing; without one (the pad cleared), the newest card is shown if it was. */
  function setDrawing(next: ClassifyItem | null): void {
    drawing.value = next
    if (!next && selectedId.value === DRAWING_ID) selectedId.value = items.value[0]?.id ?? null
  }

  return {
    items,
    drawing,
    selectedId,
    selected,
    counts,
    find,
    patch,
    newCardId,
    addCards,
    select,
    remove,
    clearGallery,
    setDrawing
  }
})
