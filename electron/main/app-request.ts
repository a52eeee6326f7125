// The desktop window's page is served from app://studio/ (not file://): the built renderer folder,
// with the same confinement (static-files.ts) and the same headers (page-headers.ts) as browser mode.
// Pure: no electron import, so it is testable; app-protocol.ts hands Electron's requests to it.

import { pageHeaders } from '../security/page-headers'
import { readStaticFile } from '../web/static-files'

export const APP_SCHEME = 'app'
export const APP_HOST = 'studio'
/** Where the desktop window loads the studio from, in the built app. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

export interface AppResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  /** null for HEAD and for answers without a body. */
  readonly body: Buffer | string | null
}

/**
 * The answer to one request for an app:// URL: a file of `rendererDir` with its type and the page
 * headers, or 404 for anything else (another host, a path outside the folder or through a symbolic
 * link out of it, a folder, a missing file), or 405 for methods other than GET and HEAD.
 */
export async function answerAppRequest(
  method: string,
  requestUrl: string,
  rendererDir: string,
  contentSecurityPolicy: string
): Promise<AppResponse> {
  const headers = pageHeaders(contentSecurityPolicy)
  const text = (status: number, message: string, extra: Record<string, string> = {}) => ({
    status,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', ...extra },
    body: method === 'HEAD' ? null : message
  })
  if (method !== 'GET' && method !== 'HEAD')
    return text(405, 'Only GET and HEAD are allowed.\n', { Allow: 'GET, HEAD' })
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return text(404, 'Not found\n')
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'Not found\n')
  const file = await readStaticFile(rendererDir, url.pathname)
  if (!file) return text(404, `Not found: ${url.pathname}\n`)
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': file.contentType },
    body: method === 'HEAD' ? null : file.body
  }
}
