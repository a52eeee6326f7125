// What the page says when the studio closes its socket on purpose: the close code (and the server's
// reason, when it gave one) turned into a sentence for the learner. Codes: electron/contract/web.ts.

import { MAX_WEB_MESSAGE_BYTES, WEB_CLOSE } from '../../../../electron/contract'

/** Why the server closed the socket, for the learner; null for an ordinary close or a lost connection. */
export function explainSocketClose(code: number, reason: string): string | null {
  const megabytes = `${Math.round(MAX_WEB_MESSAGE_BYTES / (1024 * 1024))} MB`
  switch (code) {
    case WEB_CLOSE.messageTooBig:
      // NOTE: ours come with the reason (what was too large, and the limit); ws's own with none.
      return reason
        ? `The studio refused ${reason} and closed the connection. Reconnecting…`
        : `The studio refused a message larger than ${megabytes} and closed the connection. Reconnecting…`
    case WEB_CLOSE.invalidText:
      return 'The studio refused a message that was not valid UTF-8 text and closed the connection. Reconnecting…'
    case WEB_CLOSE.protocolError:
      return 'The studio refused a malformed WebSocket frame and closed the connection. Reconnecting…'
    case WEB_CLOSE.unsupportedData:
    case WEB_CLOSE.policyViolation:
    case WEB_CLOSE.tooManyPages:
      // NOTE: ours: the server's reason is already a sentence (socket-hub.ts, socket-session.ts).
      return `The studio closed the connection: ${reason || `code ${code}`}.`
    default:
      return null
  }
}
