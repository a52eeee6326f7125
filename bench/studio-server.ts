// Browser mode as a child process for the benchmarks: `node out/main/web.js` on a random port with a
// fresh data folder, its printed URL, its memory, and a clean stop. Numbers only; nothing here judges.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

export const REPO_ROOT = resolve(import.meta.dirname, '..')
const STARTED_LINE = /^Backprop Studio running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)$/

export interface StudioServer {
  /** The page's URL, token included. */
  readonly url: string
  readonly pid: number
  /** What the server has written to stderr so far (its log). */
  stderr(): string
  close(): Promise<void>
}

/** Starts `out`'s browser mode (out/main/web.js) with `dataDir` as its data folder; resolves with its URL. */
export async function startStudioServer(
  out: string,
  dataDir: string,
  /** Node's own flags, e.g. ['--cpu-prof'] to see where the server spends its time. */
  nodeArgs: readonly string[] = []
): Promise<StudioServer> {
  const webEntry = join(out, 'main/web.js')
  if (!existsSync(webEntry)) throw new Error(`${webEntry} is missing: run \`npm run build\` first`)
  const child = spawn(process.execPath, [...nodeArgs, webEntry, '--no-open', '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, BACKPROP_STUDIO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => fail('no start line within 60 s'), 60_000)
    const fail = (why: string): void => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`browser mode did not start: ${why}\n${stderr}`))
    }
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const match = STARTED_LINE.exec(line)
      clearTimeout(timer)
      if (match) resolveUrl(match[1])
      else fail(`unexpected line ${JSON.stringify(line)}`)
    })
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? `code ${code}`})`))
  })
  child.removeAllListeners('exit')
  return { url, pid: child.pid!, stderr: () => stderr, close: () => stopChild(child) }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
  await exited
  clearTimeout(timer)
}

/** VmRSS and VmHWM (the kernel's peak) of a process, MB; null off Linux. */
export function processRss(pid: number): { rssMb: number; peakMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024
    return { rssMb: field('VmRSS'), peakMb: field('VmHWM') }
  } catch {
    return null
  }
}
