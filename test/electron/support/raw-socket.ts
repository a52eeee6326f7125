// Test helper: a WebSocket client written by hand on a net.Socket, to send frames no library would
// (unmasked, reserved bits, invalid UTF-8, lying lengths) and read the server's close frame.

import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'

export interface RawSocket {
  /** Writes one frame as given (the caller chooses every bit). */
  write(frame: Buffer): void
  /** The close code of the server's close frame, or 'ended' if the TCP connection ended without one. */
  closed(): Promise<number | 'ended'>
  destroy(): void
}

/** Opens the upgrade by hand; resolves once the server has answered 101. */
export function openRawSocket(port: number, path: string, origin: string): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const tcp: Socket = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let upgraded = false
    let onClose: ((code: number | 'ended') => void) | null = null
    let closeCode: number | 'ended' | null = null
    const settleClose = (code: number | 'ended'): void => {
      if (closeCode !== null) return
      closeCode = code
      onClose?.(code)
    }
    tcp.on('error', (error) => (upgraded ? settleClose('ended') : reject(error)))
    tcp.on('close', () => settleClose('ended'))
    tcp.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = received.subarray(0, end).toString()
        received = received.subarray(end + 4)
        if (!head.startsWith('HTTP/1.1 101')) return reject(new Error(head.split('\r\n')[0]))
        upgraded = true
        resolve({
          write: (frame) => tcp.write(frame),
          closed: () =>
            new Promise((settle) => (closeCode === null ? (onClose = settle) : settle(closeCode))),
          destroy: () => tcp.destroy()
        })
      }
      const code = closeCodeIn(received)
      if (code !== null) settleClose(code)
    })
    tcp.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Origin: ${origin}`,
        '',
        ''
      ].join('\r\n')
    )
  })
}

/** The code of a server close frame (opcode 8, unmasked) among the frames received, if any. */
function closeCodeIn(bytes: Buffer): number | null {
  let at = 0
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at] & 0x0f
    let length = bytes[at + 1] & 0x7f
    let header = 2
    if (length === 126) {
      if (at + 4 > bytes.length) return null
      length = bytes.readUInt16BE(at + 2)
      header = 4
    } else if (length === 127) {
      if (at + 10 > bytes.length) return null
      length = Number(bytes.readBigUInt64BE(at + 2))
      header = 10
    }
    if (at + header + length > bytes.length) return null
    if (opcode === 0x8) return length >= 2 ? bytes.readUInt16BE(at + header) : 1005
    at += header + length
  }
  return null
}

export interface FrameOptions {
  readonly opcode: number
  readonly payload?: Buffer
  /** Defaults to true, as every client frame must be (RFC 6455 §5.3). */
  readonly masked?: boolean
  /** The three reserved bits, 0–7 (no extension is negotiated, so any set bit is an error). */
  readonly rsv?: number
  /** The length the header claims, when it is to differ from the payload's. */
  readonly claimedLength?: number
}

/** One frame with FIN set, built bit by bit. */
export function frame({
  opcode,
  payload = Buffer.alloc(0),
  masked = true,
  rsv = 0,
  claimedLength = payload.length
}: FrameOptions): Buffer {
  const first = 0x80 | (rsv << 4) | opcode
  const maskBit = masked ? 0x80 : 0
  let header: Buffer
  if (claimedLength < 126) header = Buffer.from([first, maskBit | claimedLength])
  else if (claimedLength < 65536) {
    header = Buffer.from([first, maskBit | 126, 0, 0])
    header.writeUInt16BE(claimedLength, 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = first
    header[1] = maskBit | 127
    header.writeBigUInt64BE(BigInt(claimedLength), 2)
  }
  if (!masked) return Buffer.concat([header, payload])
  const mask = randomBytes(4)
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]))
  return Buffer.concat([header, mask, body])
}
