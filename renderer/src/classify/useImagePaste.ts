// Ctrl/⌘+V anywhere in the window (except while typing in a field): pasted image files.

import { onBeforeUnmount, onMounted } from 'vue'
import { isKeyForControl } from '@/shared/shortcuts'

/** The files of a paste: clipboard files, or file items (some sources only fill `items`). */
function pastedFiles(data: DataTransfer | null): File[] {
  if (!data) return []
  const files = Array.from(data.files ?? [])
  if (files.length > 0) return files
  return Array.from(data.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => file !== null)
}

export function useImagePaste(onPaste: (files: File[]) => void): void {
  const onPasteEvent = (event: ClipboardEvent): void => {
    // A paste into a text field is the field's (the 'v' key counts as typing there).
    if (isKeyForControl(event.target, 'v')) return
    const files = pastedFiles(event.clipboardData)
    if (files.length === 0) return
    event.preventDefault()
    onPaste(files)
  }
  onMounted(() => window.addEventListener('paste', onPasteEvent))
  onBeforeUnmount(() => window.removeEventListener('paste', onPasteEvent))
}
