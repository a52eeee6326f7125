// The app:// scheme in Electron: declared privileged before the app is ready (a standard, secure
// origin, so 'self' in the CSP, module scripts and workers behave as on https), then served from the
// built renderer folder by app-request.ts.

import { protocol } from 'electron'
import { answerAppRequest, APP_SCHEME } from './app-request'

/**
 * Must run before app 'ready'. NOTE: no corsEnabled and no bypassCSP: other origins may not read our
 * files, and the page's CSP applies in full.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/** After 'ready': answers every app:// request from `rendererDir`. */
export function serveAppScheme(rendererDir: string, contentSecurityPolicy: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await answerAppRequest(
      request.method,
      request.url,
      rendererDir,
      contentSecurityPolicy
    )
    return new Response(answer.body, { status: answer.status, headers: answer.headers })
  })
}
