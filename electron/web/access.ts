// Who may use the browser-mode server: the right Host, the random token (URL or cookie), our Origin.

import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * NOTE: three independent checks. The token keeps other local users and programs out; the Host check
 * defeats DNS rebinding (evil.example resolving to 127.0.0.1); the Origin check keeps other sites'
 * pages from opening our WebSocket from the user's own browser.
 */
export class AccessGate {
  constructor(
    readonly token: string,
    readonly port: number
  ) {}

  /** Cookies are shared across ports on one host, so the cookie's name carries the port. */
  get cookieName(): string {
    return `backprop_studio_${this.port}`
  }

  /** Set when the tokened page loads, so its own script and style requests get in. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`
  }

  hostAllowed(host: string | undefined): boolean {
    return host === `127.0.0.1:${this.port}` || host === `localhost:${this.port}`
  }

  tokenMatches(candidate: string | null | undefined): boolean {
    if (typeof candidate !== 'string') return false
    const expected = Buffer.from(this.token)
    const given = Buffer.from(candidate)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }

  /** The token from our cookie in a Cookie header, or null. */
  cookieToken(cookieHeader: string | undefined): string | null {
    for (const part of (cookieHeader ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=')
      if (name === this.cookieName) return value.join('=')
    }
    return null
  }

  /** An HTTP request may be answered: right Host, and the token in ?token= or in our cookie. */
  requestAllowed(request: IncomingMessage, url: URL): boolean {
    if (!this.hostAllowed(request.headers.host)) return false
    const queryToken = url.searchParams.get('token')
    if (queryToken !== null) return this.tokenMatches(queryToken)
    return this.tokenMatches(this.cookieToken(request.headers.cookie))
  }

  /** A WebSocket upgrade may proceed: right Host, the page's own Origin, and the token (query or cookie). */
  upgradeAllowed(request: IncomingMessage, url: URL): boolean {
    const host = request.headers.host
    if (!this.hostAllowed(host) || request.headers.origin !== `http://${host}`) return false
    return (
      this.tokenMatches(url.searchParams.get('token')) ||
      this.tokenMatches(this.cookieToken(request.headers.cookie))
    )
  }
}
