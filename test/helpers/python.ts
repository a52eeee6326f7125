// Finding a python that has the modules a cross-check needs: $BENCH_PYTHON first (a venv with torch, as
// `npm run bench` uses), then python3. Tests that need one skip loudly without it.

import { spawnSync } from 'node:child_process'

/** The first of $BENCH_PYTHON and python3 that imports every module, or null (with a loud warning). */
export function pythonWith(modules: readonly string[], skipping: string): string | null {
  const candidates = [process.env.BENCH_PYTHON, 'python3'].filter((p): p is string => !!p)
  const found = candidates.find(
    (python) =>
      spawnSync(python, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' }).status === 0
  )
  if (found) return found
  console.warn(
    `\n!!! no python with ${modules.join(', ')} (tried ${candidates.join(', ')}; set BENCH_PYTHON ` +
      `to one): SKIPPING ${skipping} !!!\n`
  )
  return null
}
