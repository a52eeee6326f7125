// Opens a URL in the user's default browser; failing to do so is not an error (the URL is printed).

import { spawn } from 'node:child_process'

export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]]
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true })
    child.on('error', () => undefined) // NOTE: no opener installed (a server, a container): the printed link suffices
    child.unref()
  } catch {
    // same as above
  }
}
