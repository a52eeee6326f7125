// The browser-mode server: HTTP for the built renderer and a WebSocket for StudioApi, on 127.0.0.1 only.

import { randomBytes } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { MAX_WEB_MESSAGE_BYTES, WEB_SOCKET_PATH } from '../contract'
import { AccessGate } from './access'
import { createRequestHandler } from './http-handler'
import {
  DEFAULT_SOCKET_LIMITS,
  SocketHub,
  type ServerLog,
  type SocketHubLimits
} from './socket-hub'
import { serveStudioSocket, type SocketStudio } from './socket-session'

export interface WebServerOptions {
  readonly studio: SocketStudio
  /** The built renderer (out/renderer). */
  readonly rendererDir: string
  /** 0 (the default) picks a free port. */
  readonly port?: number
  /** How many pages, and how far behind one may fall; tests lower them. */
  readonly socketLimits?: SocketHubLimits
  /** Where the server says why it closed a socket; default stderr. */
  readonly log?: ServerLog
}

export interface WebServer {
  /** The page's URL, token included: the one link that opens the studio. */
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

export async function startWebServer({
  studio,
  rendererDir,
  port = 0,
  socketLimits = DEFAULT_SOCKET_LIMITS,
  log = (line) => console.error(line)
}: WebServerOptions): Promise<WebServer> {
  const token = randomBytes(32).toString('hex')
  const server = createServer()
  await listen(server, port)
  const actualPort = (server.address() as AddressInfo).port
  const gate = new AccessGate(token, actualPort)

  const handle = createRequestHandler(gate, rendererDir)
  server.on('request', (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500)
      response.end()
    })
  })

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_WEB_MESSAGE_BYTES })
  sockets.on('error', (error) => log(`browser mode: WebSocket server error: ${error.message}`))
  const hub = new SocketHub(studio, socketLimits, log)
  server.on('upgrade', (request, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname !== WEB_SOCKET_PATH || !gate.upgradeAllowed(request, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      if (hub.admit(ws)) serveStudioSocket(ws, studio, hub, log)
    })
  })

  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    port: actualPort,
    token,
    async close() {
      hub.close()
      for (const client of sockets.clients) client.terminate()
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** Listens on the loopback interface only: nothing on the network can reach the studio. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
}
