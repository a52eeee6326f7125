// Answers the browser-mode server's HTTP requests: the gate first, then the built renderer's files.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { contentSecurityPolicy } from '../security/csp'
import { pageHeaders } from '../security/page-headers'
import type { AccessGate } from './access'
import { readStaticFile } from './static-files'

/** Shown instead of the app when the token is missing or wrong: says why, and what to do. */
const REFUSAL_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Backprop Studio: access refused</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; }
  code { background: rgba(127, 127, 127, 0.15); padding: 0 0.25em; border-radius: 3px; }
</style>
</head>
<body>
<h1>Access refused</h1>
<p>This Backprop Studio server only answers the link it printed when it started, which ends with
<code>?token=…</code>. Open that exact link, or start the studio again with <code>npm run web</code>.</p>
</body>
</html>
`

export function createRequestHandler(gate: AccessGate, rendererDir: string) {
  const csp = contentSecurityPolicy([`ws://127.0.0.1:${gate.port}`, `ws://localhost:${gate.port}`])
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // NOTE: the page URL carries the token: pageHeaders forbids the Referer that would leak it.
    for (const [name, value] of Object.entries(pageHeaders(csp))) response.setHeader(name, value)

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(
        response,
        405,
        'text/plain; charset=utf-8',
        'Only GET and HEAD are allowed.\n',
        request,
        {
          Allow: 'GET, HEAD'
        }
      )
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (!gate.requestAllowed(request, url)) {
      return send(response, 403, 'text/html; charset=utf-8', REFUSAL_PAGE, request)
    }
    if (url.searchParams.has('token')) response.setHeader('Set-Cookie', gate.sessionCookie())
    const file = await readStaticFile(rendererDir, url.pathname)
    if (!file)
      return send(
        response,
        404,
        'text/plain; charset=utf-8',
        `Not found: ${url.pathname}\n`,
        request
      )
    send(response, 200, file.contentType, file.body, request)
  }
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  request: IncomingMessage,
  headers: Record<string, string> = {}
): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    ...headers
  })
  response.end(request.method === 'HEAD' ? undefined : body)
}
