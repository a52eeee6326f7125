// `npm run web`: browser mode's entry. Starts the host and the 127.0.0.1 server, prints the one link.

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { readAppVersion } from '../files/app-version'
import { defaultDataDir } from '../files/data-dir'
import { StudioHost } from '../host/studio-host'
import { parseWebArgs, WEB_USAGE, type WebArgs } from './args'
import { openBrowser } from './open-browser'
import { startWebServer } from './server'

async function main(): Promise<void> {
  let args: WebArgs
  try {
    args = parseWebArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`${(error as Error).message}\n${WEB_USAGE}`)
    process.exit(2)
  }
  // Built layout: out/main/web.js next to out/main/train-worker.js, and out/renderer beside out/main.
  const rendererDir = join(__dirname, '../renderer')
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(
      `the renderer is not built (${rendererDir}/index.html is missing): run npm run build`
    )
  }
  const host = new StudioHost({
    workerPath: join(__dirname, 'train-worker.js'),
    mode: 'browser',
    version: readAppVersion(join(__dirname, '../..')),
    // The same folder as the desktop app, so both see the same runs and settings.
    dataDir: defaultDataDir()
  })
  const server = await startWebServer({ studio: host, rendererDir, port: args.port })
  // Exactly one line on stdout: scripts and tests read the URL from it. What to do with it: stderr.
  console.log(`Backprop Studio running at ${server.url}`)
  console.error(
    args.open
      ? 'Your browser should open this address; if it does not, open it yourself. Ctrl-C stops the studio.'
      : 'Open this address in your browser. Ctrl-C stops the studio.'
  )
  if (args.open) openBrowser(server.url)

  const shutdown = (): void => {
    void Promise.allSettled([server.close(), host.close()]).then(() => process.exit(0))
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
  console.error(
    `Backprop Studio could not start: ${inUse ? 'that port is already in use; pick another with --port' : message}`
  )
  process.exit(1)
})
