// Whether an IPC message comes from our own renderer page (pure: no electron import, so it is testable).

/**
 * True when `frameUrl` is the studio's page: the same file (built app) or the same origin (dev server).
 * NOTE: compared by parsed URL parts, never by string prefix: "file:///app/index.html.evil" or
 * "http://localhost:5173.evil.example" must not pass.
 */
export function isTrustedSenderUrl(frameUrl: string | undefined, rendererUrl: string): boolean {
  if (!frameUrl) return false
  let frame: URL
  let renderer: URL
  try {
    frame = new URL(frameUrl)
    renderer = new URL(rendererUrl)
  } catch {
    return false
  }
  if (renderer.protocol === 'file:')
    return frame.protocol === 'file:' && frame.pathname === renderer.pathname
  return frame.origin === renderer.origin
}
