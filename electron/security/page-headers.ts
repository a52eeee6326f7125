// The response headers of the studio's own page and files, in browser mode (HTTP) and in the desktop
// window (the app:// protocol) alike.

/**
 * The Content-Security-Policy (security/csp.ts) and the headers around it: no type sniffing, no
 * Referer (browser mode's page URL carries its token), no framing by another site, no cross-origin
 * readers, and no caching (a rebuilt app must never mix old and new files).
 */
export function pageHeaders(contentSecurityPolicy: string): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store'
  }
}
