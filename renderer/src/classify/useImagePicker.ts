// The file dialog behind the "Open images…" button (the menu's Open Images… is main's native dialog).
// accept="image/*" only filters the dialog: files are identified by content, so any file can be chosen.

let input: HTMLInputElement | null = null

/** Opens the system's file dialog (several files); the chosen files go to `onFiles`. */
export function pickImages(onFiles: (files: File[]) => void): void {
  if (!input) {
    input = document.createElement('input')
    input.hidden = true // out of the page's layout and accessibility tree; only its dialog is seen
    document.body.append(input)
  }
  input.type = 'file'
  input.multiple = true
  input.accept = 'image/*'
  input.value = '' // choosing the same file twice still fires change
  input.onchange = () => {
    const files = Array.from(input?.files ?? [])
    if (files.length > 0) onFiles(files)
  }
  input.click()
}
