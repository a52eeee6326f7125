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
    // NOTE: no 'unsafe-inline' for styles either: Vue's :style bindings and chart.js write through the
    // CSSOM (element.style), which CSP does not restrict, and no template has a static style attribute
    // (Vue could hoist one into innerHTML, which CSP would block; the e2e tests fail on any violation).
    "style-src 'self'",
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
