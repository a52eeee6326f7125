// Reads the built renderer's files for the browser-mode server, confined to its folder.

import { readFile, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm'
}

export interface StaticFile {
  readonly body: Buffer
  readonly contentType: string
}

/** The Content-Type for a file name; unknown kinds are sent as opaque bytes (and nosniff keeps them so). */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

/**
 * The file a URL path names inside `root` ('/' is index.html), or null when there is none.
 * Paths that escape `root` (../, encoded or not) are treated as missing.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const relativePath = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '')
  const path = resolve(root, relativePath)
  const inside = relative(root, path)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null
  try {
    if (!(await stat(path)).isFile()) return null
    return { body: await readFile(path), contentType: contentTypeFor(path) }
  } catch {
    return null
  }
}
