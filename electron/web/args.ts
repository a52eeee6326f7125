// Command-line options of browser mode (`npm run web -- --port 8080 --no-open`).

export interface WebArgs {
  /** 0 = a random free port. */
  readonly port: number
  readonly open: boolean
}

export const WEB_USAGE = 'usage: node out/main/web.js [--port N] [--no-open]'

/** Parses the options; throws an Error with a message for the user on anything unknown or malformed. */
export function parseWebArgs(argv: readonly string[]): WebArgs {
  let port = 0
  let open = true
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--no-open') open = false
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const value = arg === '--port' ? argv[++i] : arg.slice('--port='.length)
      port = Number(value)
      if (
        value === undefined ||
        value.trim() === '' ||
        !Number.isInteger(port) ||
        port < 0 ||
        port > 65_535
      ) {
        throw new Error(
          `--port must be a whole number from 0 to 65535 (0 = any free port), got ${value ?? 'nothing'}`
        )
      }
    } else throw new Error(`unknown option ${JSON.stringify(arg)}`)
  }
  return { port, open }
}
