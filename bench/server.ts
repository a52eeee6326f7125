// `npm run bench:server`: does browser mode keep answering while a heavy run trains, however many pages
// are open (issue 15, item 2)? Measures, never judges:
//
//   getModel     the round trip of one StudioApi call (model:get, answered by the worker) from a page's
//                client, every PROBE_INTERVAL_MS while the MLP trains at full speed
//   http         GET of the page itself (what a new tab loads first)
//   new window   a new page client: open its socket and get one answer (studio:info)
//   stop         from controlTraining('stop') to the run's 'finished' event reaching the page
//   steps/s      how fast the run trained meanwhile (the server's work must not slow it much)
//
// with 1, 20 and 100 sockets open (one of them the probing page; the others read every event as open
// tabs do, and decode nothing), and optionally some that never read at all (--stalled N). The other
// sockets live in a child process (bench/socket-readers.ts), so their reading never delays the probe's.
//
//   npm run build && npm run bench:server
//   npm run bench:server -- --sockets 1,20,100 --stalled 0 --seconds 15 --json
//   npm run bench:server -- --out /tmp/old/out      another build (e.g. before a change)
//
// Each socket count gets a fresh server (a fresh data folder), so one scenario's leftovers never slow
// the next. Timings move with the machine's load: the load average is printed with them.

import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import WebSocket from 'ws'
import { PRESETS, type TrainConfig } from '../core'
import { WEB_CLOSE, type StudioApi, type TrainingEvent } from '../electron/contract'
import { connectWebStudio } from '../renderer/src/shared/api/web-client'
import { distribution, formatTable, loadWarning, round, type Distribution } from './harness'
import type { ReadersMessage, ReadersReport } from './socket-readers'
import { processRss, REPO_ROOT, startStudioServer, type StudioServer } from './studio-server'

/** The MLP preset (784-128-10, Adam, batch 32), long enough never to finish while measured. */
const HEAVY_RUN: TrainConfig = { ...PRESETS.mlp.config, epochs: 100 }
const PROBE_INTERVAL_MS = 200
const HTTP_INTERVAL_MS = 500
const NEW_WINDOW_INTERVAL_MS = 2000
/** A call not answered by then counts as this long (and the probe moves on): a stalled server is a result. */
const CALL_TIMEOUT_MS = 10_000

interface Options {
  readonly json: boolean
  readonly out: string
  readonly sockets: readonly number[]
  readonly stalled: number
  readonly seconds: number
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const sockets = (value('--sockets') ?? '1,20,100').split(',').map(Number)
  if (sockets.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error('--sockets: a list of whole numbers ≥ 1, e.g. 1,20,100')
  const stalled = Number(value('--stalled') ?? 0)
  const seconds = Number(value('--seconds') ?? 15)
  if (!Number.isInteger(stalled) || stalled < 0) throw new Error('--stalled: a whole number ≥ 0')
  if (!(seconds > 0)) throw new Error('--seconds: a number > 0')
  return {
    json: argv.includes('--json'),
    out: resolve(value('--out') ?? join(REPO_ROOT, 'out')),
    sockets,
    stalled,
    seconds
  }
}

const log = (message: string): void => void process.stderr.write(`${message}\n`)
const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

export interface ScenarioResult {
  readonly sockets: number
  readonly stalled: number
  readonly getModel: Distribution | null
  readonly http: Distribution | null
  readonly newWindow: Distribution | null
  /** New windows the server refused at once (MAX_WEB_SOCKETS pages already open), not timed above. */
  readonly newWindowsRefused: number
  /** null when the stop's 'finished' event did not arrive within STOP_TIMEOUT_MS. */
  readonly stopMs: number | null
  readonly stepsPerSecond: number
  /** Sockets the server closed while measured (slow ones dropped), of all it had. */
  readonly socketsClosedByServer: number
  readonly serverPeakRssMb: number | null
  readonly loadAverage: number
}

const STOP_TIMEOUT_MS = 60_000

async function measure(options: Options, sockets: number): Promise<ScenarioResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-bench-server-'))
  const server = await startStudioServer(options.out, dataDir)
  const { host, token, origin } = addressOf(server)
  let readers: ChildProcess | null = null
  try {
    const probe = pageClient(host, token)
    await probe.getInfo()
    // The other open pages, in a process of their own (see socket-readers.ts).
    const socketUrl = `ws://${host}/studio?token=${token}`
    readers = await startReaders(socketUrl, origin, sockets - 1, options.stalled)

    const events: { at: number; event: TrainingEvent }[] = []
    probe.onTrainingEvent((event) => events.push({ at: performance.now(), event }))
    await probe.startTraining(HEAVY_RUN)
    const started = performance.now()
    const until = started + options.seconds * 1000
    let peakRss = 0
    const rssTimer = setInterval(
      () => (peakRss = Math.max(peakRss, processRss(server.pid)?.rssMb ?? 0)),
      250
    )
    let newWindowsRefused = 0
    const [getModel, http, newWindow] = await Promise.all([
      every(PROBE_INTERVAL_MS, until, () => probe.getModel()),
      every(HTTP_INTERVAL_MS, until, () => getPage(server.url)),
      every(NEW_WINDOW_INTERVAL_MS, until, async () => {
        if ((await openAndAsk(socketUrl, origin)) === 'refused') newWindowsRefused++
      })
    ])
    const lastStep = stepOf(events)
    const stepsPerSecond = lastStep / ((performance.now() - started) / 1000)

    const stopSent = performance.now()
    const mark = events.length
    await probe.controlTraining('stop')
    let stopMs: number | null = null
    while (performance.now() - stopSent < STOP_TIMEOUT_MS) {
      const end = events.slice(mark).find(({ event }) => event.type === 'finished')
      if (end) {
        stopMs = end.at - stopSent
        break
      }
      await sleep(10)
    }
    clearInterval(rssTimer)
    const { closedByServer } = await reportOf(readers)
    return {
      sockets,
      stalled: options.stalled,
      getModel: distribution(getModel),
      http: distribution(http),
      // NOTE: a refused window is answered at once, by a close: its time is no latency.
      newWindow: newWindowsRefused > 0 ? null : distribution(newWindow),
      newWindowsRefused,
      stopMs: stopMs === null ? null : round(stopMs, 1),
      stepsPerSecond: round(stepsPerSecond, 0),
      socketsClosedByServer: closedByServer,
      serverPeakRssMb: peakRss > 0 ? round(peakRss, 0) : null,
      loadAverage: round(loadavg()[0], 2)
    }
  } finally {
    readers?.kill()
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** Forks socket-readers.ts with `readers` reading and `stalled` silent sockets; resolves once all are open. */
function startReaders(
  socketUrl: string,
  origin: string,
  readers: number,
  stalled: number
): Promise<ChildProcess> {
  const child = fork(
    join(REPO_ROOT, 'bench/socket-readers.ts'),
    [socketUrl, origin, String(readers), String(stalled)],
    { execArgv: ['--import', 'tsx'] }
  )
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child))
    child.once('exit', (code) => reject(new Error(`socket-readers exited with code ${code}`)))
  })
}

/** How many of the child's sockets the server closed; the child then exits. */
function reportOf(child: ChildProcess): Promise<ReadersReport> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit')
    child.once('message', (message: ReadersMessage) => resolve(message as ReadersReport))
    child.send({ report: true })
  })
}

/** Runs `call` every `intervalMs` (one at a time) until `until`; the round trips in ms. */
async function every(
  intervalMs: number,
  until: number,
  call: () => Promise<unknown>
): Promise<number[]> {
  const times: number[] = []
  while (performance.now() < until) {
    const start = performance.now()
    await Promise.race([call(), sleep(CALL_TIMEOUT_MS)])
    times.push(performance.now() - start)
    await sleep(Math.max(0, intervalMs - (performance.now() - start)))
  }
  return times
}

function stepOf(events: readonly { event: TrainingEvent }[]): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const { event } = events[i]
    if (event.type === 'progress') return event.metrics.at(-1)?.step ?? 0
  }
  return 0
}

function addressOf(server: StudioServer): { host: string; token: string; origin: string } {
  const url = new URL(server.url)
  return { host: url.host, token: url.searchParams.get('token')!, origin: url.origin }
}

/** The page's own client (renderer/src/shared/api/web-client.ts), as a tab opened from the link. */
function pageClient(host: string, token: string): StudioApi {
  const origin = `http://${host}`
  return connectWebStudio(
    { protocol: 'http:', host, search: `?token=${token}` },
    { createSocket: (url) => new WebSocket(url, { origin }) as unknown as globalThis.WebSocket }
  )
}

/** A new window's first moments: open a socket, ask studio:info, read the answer, close. */
function openAndAsk(socketUrl: string, origin: string): Promise<'answered' | 'refused'> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(socketUrl, { origin })
    socket.on('error', fail)
    socket.once('open', () =>
      socket.send(JSON.stringify({ id: 1, method: 'studio:info', params: [] }))
    )
    // The server closes a window beyond MAX_WEB_SOCKETS at once (code 1013).
    socket.once('close', (code) => (code === WEB_CLOSE.tooManyPages ? done('refused') : undefined))
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      // NOTE: events may come first; the answer is the text frame that replies to id 1.
      if (isBinary || !data.toString('utf8', 0, 64).startsWith('{"type":"reply","id":1,')) return
      socket.close()
      done('answered')
    })
  })
}

function getPage(url: string): Promise<void> {
  return new Promise((done, fail) => {
    const req = request(url, (response) => {
      response.resume()
      response.on('end', () => done())
    })
    req.on('error', fail)
    req.end()
  })
}

function formatReport(results: readonly ScenarioResult[]): string {
  const ms = (d: Distribution | null): string =>
    d === null ? '–' : `${d.medianMs.toFixed(0)} / ${d.p95Ms.toFixed(0)} / ${d.maxMs.toFixed(0)}`
  return formatTable(
    [
      'sockets (stalled)',
      'getModel ms (median/p95/max)',
      'page GET ms',
      'new window ms',
      'stop ms',
      'steps/s',
      'dropped',
      'server MB',
      'load'
    ],
    results.map((r) => [
      `${r.sockets} (${r.stalled})`,
      ms(r.getModel),
      ms(r.http),
      r.newWindowsRefused > 0 ? `refused (${r.newWindowsRefused}×)` : ms(r.newWindow),
      r.stopMs === null ? 'none' : r.stopMs.toFixed(0),
      String(r.stepsPerSecond),
      String(r.socketsClosedByServer),
      r.serverPeakRssMb === null ? '–' : String(r.serverPeakRssMb),
      r.loadAverage.toFixed(1)
    ])
  )
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2))
  const results: ScenarioResult[] = []
  for (const sockets of options.sockets) {
    log(
      `${sockets} socket(s), ${options.stalled} stalled: MLP at full speed for ${options.seconds} s…`
    )
    results.push(await measure(options, sockets))
  }
  if (options.json) console.log(JSON.stringify({ results }))
  else {
    console.log(formatReport(results))
    const warning = loadWarning()
    if (warning) console.log(warning)
  }
  process.exit(0) // the page clients would otherwise keep reconnecting to the stopped servers
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error)
  process.exit(1)
})
