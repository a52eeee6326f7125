// End-to-end harness: the built studio in browser mode (a child process), and Debian's Chromium
// driven by playwright-core. Used by every test under test/e2e.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import type { Browser } from 'playwright-core'
import { describe, it } from 'vitest'
import { CHROMIUM_PATH, launchChromium } from '../helpers/chromium'

export { CHROMIUM_PATH }

export const REPO_ROOT = resolve(import.meta.dirname, '../..')
/** Screenshots go here (gitignored); look at them. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'e2e')

const WEB_ENTRY = join(REPO_ROOT, 'out/main/web.js')
const STARTED_LINE =
  /^Backprop Studio running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+))$/

export interface RunningStudio {
  /** The printed link, token included. */
  readonly url: string
  readonly token: string
  readonly port: number
  /** http://127.0.0.1:PORT, the page's origin. */
  readonly origin: string
  /** Everything the server printed on stdout so far (it must be exactly the one line). */
  readonly stdoutLines: readonly string[]
  /** The studio's data folder (runs, settings): fresh for each start, so no test sees another's. */
  readonly dataDir: string
  close(): Promise<void>
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH)
}

/**
 * `describe` for tests that need Chromium. Without it they are skipped with a loud message on a
 * developer's machine, and fail under CI (CI=true), where a silent skip would hide a broken setup.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(name, body)
    return
  }
  const help = `${CHROMIUM_PATH} not found. Install it with: apt-get update && apt-get install -y chromium`
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium for end-to-end tests', () => {
        throw new Error(`${help} (CI is set, so missing Chromium fails the run)`)
      })
    })
    return
  }
  const bar = '!'.repeat(100)
  console.warn(`\n${bar}\n!!! SKIPPING END-TO-END TESTS "${name}": ${help}\n${bar}\n`)
  describe.skip(name, body)
}

/**
 * Starts `node out/main/web.js --no-open --port 0` and waits for its one line. Its data folder is a
 * fresh temporary one (removed on close): saved settings such as the last config never leak between
 * tests. `keepData`: close leaves the folder, for a studio started again on it (`dataDir`: a restart),
 * which then owns it (removes it on its close).
 */
export async function startStudio({
  timeoutMs = 60_000,
  dataDir = mkdtempSync(join(tmpdir(), 'backprop-studio-e2e-')),
  keepData = false
}: { timeoutMs?: number; dataDir?: string; keepData?: boolean } = {}): Promise<RunningStudio> {
  if (!existsSync(WEB_ENTRY))
    throw new Error(`${WEB_ENTRY} is missing: run \`npm run build\` first`)
  const child = spawn(process.execPath, [WEB_ENTRY, '--no-open', '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, BACKPROP_STUDIO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdoutLines: string[] = []
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: child.stdout! })

  const match = await new Promise<RegExpMatchArray>((resolvePromise, reject) => {
    const timer = setTimeout(() => fail(`no start line within ${timeoutMs} ms`), timeoutMs)
    const fail = (why: string): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(
        new Error(
          `browser mode did not start: ${why}\nstdout: ${stdoutLines.join('\n')}\nstderr: ${stderr}`
        )
      )
    }
    lines.on('line', (line) => {
      stdoutLines.push(line)
      const found = STARTED_LINE.exec(line)
      if (found) {
        clearTimeout(timer)
        resolvePromise(found)
      } else if (stdoutLines.length === 1) fail(`unexpected first line ${JSON.stringify(line)}`)
    })
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`))
  })
  child.removeAllListeners('exit')

  const port = Number(match[2])
  return {
    url: match[1],
    token: match[3],
    port,
    origin: `http://127.0.0.1:${port}`,
    stdoutLines,
    dataDir,
    close: async () => {
      await stop(child)
      if (!keepData) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

/** Debian's Chromium, headless, through playwright-core (which never downloads a browser). */
export function launchBrowser(): Promise<Browser> {
  return launchChromium()
}

/** Where to save a screenshot called `name` (the folder is created). */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  return join(SCREENSHOT_DIR, `${name}.png`)
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolvePromise) => child.once('exit', () => resolvePromise()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}
