// `npm start`: builds, then opens the Electron app. Where Electron cannot run (no binary and no way to
// download it, no display), it starts browser mode instead and says why, after the address.
// `--browser` asks for browser mode directly; other options (--port N, --no-open) are passed to it.
// NOTE: a newcomer's first screen is the address to open and how to stop, nothing before it: the
// build's own output is shown only when the build fails.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(ROOT, 'package.json'))
/** The binary is ~100 MB; a first download on a slow line takes a while, a closed network fails fast. */
const DOWNLOAD_TIMEOUT_MS = 10 * 60 * 1000
/** An Electron that exits with an error this soon never opened its window (missing libraries, GPU…). */
const EARLY_EXIT_MS = 5000

const args = process.argv.slice(2)
const webArgs = args.filter((arg) => arg !== '--browser')

build()
const electron = args.includes('--browser')
  ? { reason: null } // asked for: nothing to explain
  : findElectron()
if (electron.path) runElectron(electron.path)
else runBrowserMode(electron.reason)

function build() {
  const cli = join(
    dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js'
  )
  const result = spawnSync(process.execPath, [cli, 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  })
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`)
    console.error('Backprop Studio could not be built (the messages above say why).')
    process.exit(result.status ?? 1)
  }
}

/** The Electron executable, or why there is none. Downloads it once if missing, never in a loop. */
function findElectron() {
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no graphical display: neither DISPLAY nor WAYLAND_DISPLAY is set' }
  }
  let packageDir
  try {
    packageDir = dirname(require.resolve('electron/package.json'))
  } catch {
    return { reason: 'the electron package is not installed; run npm install' }
  }
  const installed = installedBinary(packageDir)
  if (installed) return { path: installed }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { reason: 'its binary is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD is set' }
  }
  console.error('Downloading the Electron binary (first start only)…')
  // NOTE: electron's own install script, run once. Requiring 'electron' instead would retry the
  // download on every call and throw "Electron failed to install correctly".
  const download = spawnSync(process.execPath, [join(packageDir, 'install.js')], {
    cwd: packageDir,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: DOWNLOAD_TIMEOUT_MS
  })
  const downloaded = installedBinary(packageDir)
  if (downloaded) return { path: downloaded }
  const firstLine = (download.stderr ?? '').split('\n').find((line) => line.trim() !== '') ?? ''
  return { reason: `its binary could not be downloaded${firstLine ? `: ${firstLine.trim()}` : ''}` }
}

/** What electron/install.js checks: path.txt names the executable, dist/version matches the package. */
function installedBinary(packageDir) {
  try {
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
    const distVersion = readFileSync(join(packageDir, 'dist', 'version'), 'utf8')
      .trim()
      .replace(/^v/, '')
    const executable = join(
      packageDir,
      'dist',
      readFileSync(join(packageDir, 'path.txt'), 'utf8').trim()
    )
    return distVersion === version && existsSync(executable) ? executable : null
  } catch {
    return null
  }
}

function runElectron(executable) {
  const env = { ...process.env }
  delete env.ELECTRON_RUN_AS_NODE // it would start Electron as plain Node, without a window
  const startedAt = Date.now()
  const child = spawn(executable, [ROOT], { cwd: ROOT, stdio: 'inherit', env })
  forwardSignals(child)
  child.on('error', (error) => runBrowserMode(`it could not be started: ${error.message}`))
  child.on('exit', (code, signal) => {
    if (code && Date.now() - startedAt < EARLY_EXIT_MS)
      runBrowserMode(`it exited at once with code ${code}`)
    else process.exit(code ?? (signal ? 1 : 0))
  })
}

/**
 * Browser mode: its address and what to do with it come first (web.js prints the address on stdout,
 * then the hint on stderr); why the desktop window did not open follows them.
 */
function runBrowserMode(reason) {
  const child = spawn(process.execPath, [join(ROOT, 'out/main/web.js'), ...webArgs], {
    cwd: ROOT,
    stdio: ['inherit', 'pipe', 'pipe']
  })
  let addressShown = false
  let noteShown = false
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk)
    addressShown = true
  })
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk)
    if (!addressShown || noteShown || reason === null) return
    noteShown = true
    console.error(`(The desktop window is not available: ${reason}. The studio is the same.)`)
  })
  forwardSignals(child)
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

function forwardSignals(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
}
