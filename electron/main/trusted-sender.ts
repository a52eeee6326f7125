// Whether an IPC message comes from our own renderer page (pure: no electron import, so it is testable).

/**
 * True when `frameUrl` is the studio's page: the same app:// host (built app), the same file, or the
 * same origin (dev server).
 * NOTE: compared by parsed URL parts, never by string prefix: "file:///app/index.html.evil" or
 * "http://localhost:5173.evil.example" must not pass. And never by `origin` for a custom scheme: the
 * URL standard gives every app:// URL the opaque origin "null", which would make any two equal.
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
  if (renderer.protocol === 'http:' || renderer.protocol === 'https:')
    return frame.origin === renderer.origin
  return frame.protocol === renderer.protocol && frame.host === renderer.host && frame.host !== ''
}
