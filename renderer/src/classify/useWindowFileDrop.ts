// Files dragged anywhere over the window: whether a drag with files is over it (for the drop target),
// and the dropped files. Every file drop is taken over, so the browser never opens a dropped file
// (an SVG or HTML file) as a page.

import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue'

/** The overlay hides when no dragover arrived for this long (drags that end outside the window). */
const DRAG_IDLE_MS = 400

const carriesFiles = (event: DragEvent): boolean =>
  Array.from(event.dataTransfer?.types ?? []).includes('Files')

export function useWindowFileDrop(onDrop: (files: File[]) => void): { dragging: Ref<boolean> } {
  const dragging = ref(false)
  let idleTimer: ReturnType<typeof setTimeout> | null = null

  const stopIdleTimer = (): void => {
    if (idleTimer !== null) clearTimeout(idleTimer)
    idleTimer = null
  }
  const hide = (): void => {
    stopIdleTimer()
    dragging.value = false
  }
  const stillDragging = (): void => {
    dragging.value = true
    stopIdleTimer()
    idleTimer = setTimeout(hide, DRAG_IDLE_MS)
  }

  const onDragOver = (event: DragEvent): void => {
    if (!carriesFiles(event)) return
    event.preventDefault() // allows the drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
    stillDragging()
  }
  const onDragLeave = (event: DragEvent): void => {
    // relatedTarget is null when the pointer leaves the window (not when it moves between elements).
    if (event.relatedTarget === null) hide()
  }
  const onDropEvent = (event: DragEvent): void => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    hide()
    const files = Array.from(event.dataTransfer?.files ?? [])
    if (files.length > 0) onDrop(files)
  }

  onMounted(() => {
    window.addEventListener('dragenter', onDragOver)
    window.addEventListener('dragover', onDragOver)
    window.addEventListener('dragleave', onDragLeave)
    window.addEventListener('drop', onDropEvent)
  })
  onBeforeUnmount(() => {
    hide()
    window.removeEventListener('dragenter', onDragOver)
    window.removeEventListener('dragover', onDragOver)
    window.removeEventListener('dragleave', onDragLeave)
    window.removeEventListener('drop', onDropEvent)
  })
  return { dragging }
}
