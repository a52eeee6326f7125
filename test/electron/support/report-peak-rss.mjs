// Preloaded into a command by tests (node --import): prints the process's peak resident memory on exit.
process.on('exit', () => {
  process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\n`)
})
