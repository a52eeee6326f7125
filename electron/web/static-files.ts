// Reads the built renderer's files, confined to its folder: for browser mode's HTTP server and the
// desktop window's app:// protocol alike (electron/main/app-protocol.ts).

import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'

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

/** The built renderer's largest file is a few MB (the worker bundles); anything larger is not ours. */
const MAX_STATIC_FILE_BYTES = 64 * 1024 * 1024

/**
 * The file a URL path names inside `root` ('/' is index.html), or null when there is none.
 * Paths that escape `root` (../, encoded or not) are treated as missing, and so are symbolic links
 * that lead out of it: the check is made again on the real path, after every link is resolved.
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
  if (!isInside(root, path)) return null
  try {
    const realPath = await realpath(path)
    if (!isInside(await realpath(root), realPath)) return null
    // NOTE: stat and readFile, not readUserFile's open: these are the app's own files, and in a
    // packaged app they sit inside its asar archive, which Electron serves to readFile directly.
    const info = await stat(realPath)
    if (!info.isFile() || info.size > MAX_STATIC_FILE_BYTES) return null
    return { body: await readFile(realPath), contentType: contentTypeFor(path) }
  } catch {
    return null // missing, a folder, unreadable: all are "not found" to a browser
  }
}

/** True when `path` is strictly inside `folder` (both absolute and resolved). */
function isInside(folder: string, path: string): boolean {
  const inside = relative(folder, path)
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside)
}
