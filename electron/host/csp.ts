// The Content-Security-Policy for the studio's page, shared by the Electron window and browser mode.

/**
 * Scripts, styles and fonts only from our own origin; no inline script, no eval, no plugins, no frames,
 * no forms, nothing else fetched from anywhere; images also from data:/blob: (dropped and drawn digits). `connectSources` adds the
 * browser-mode WebSocket origin (CSP3 lets 'self' cover it, but older engines need it spelled out).
 */
export function contentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    // NOTE: inline *styles* are allowed: Vue sets style attributes and may hoist static markup with
    // them through innerHTML. Styles cannot run code; inline and eval'd *scripts* stay forbidden.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; ')
}
