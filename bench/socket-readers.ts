// `npm run bench:server`'s other pages, in a process of their own: N sockets that read every event as an
// open tab does (and decode nothing), and M that never read at all. In the bench's own process their
// reading competed with the probe's, so a slow answer could not be told from a slow server.
//
//   forked by bench/server.ts:  socket-readers.ts URL ORIGIN READERS STALLED
// Messages to the parent: { ready: true } once every socket is open; on { report: true },
// { closedByServer } (sockets the server closed, e.g. a stalled page dropped), then it exits.

import WebSocket from 'ws'

export interface ReadersReport {
  readonly closedByServer: number
}

export type ReadersMessage = { readonly ready: true } | ReadersReport

async function main(): Promise<void> {
  const [url, origin, readersText, stalledText] = process.argv.slice(2)
  const readers = Number(readersText)
  const stalled = Number(stalledText)
  const sockets: WebSocket[] = []
  let closedByServer = 0
  for (let i = 0; i < readers + stalled; i++) {
    const socket = new WebSocket(url, { origin })
    socket.on('error', () => undefined)
    socket.on('close', (code) => {
      if (code !== 1000 && code !== 1005) closedByServer++
    })
    await new Promise((opened) => socket.once('open', opened))
    // NOTE: a stalled page stops reading its TCP socket, so the server's send buffer fills up.
    if (i >= readers) (socket as unknown as { _socket: { pause(): void } })._socket.pause()
    sockets.push(socket)
  }
  send({ ready: true })
  process.on('message', () => {
    send({ closedByServer })
    for (const socket of sockets) socket.terminate()
    process.exit(0)
  })
}

function send(message: ReadersMessage): void {
  process.send!(message)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error)
  process.exit(1)
})
