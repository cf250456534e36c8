/**
 * Runs `work` with `stdin` (undefined: none) attached. With `enabled` and a terminal, raw mode while it runs,
 * so every key (Ctrl-C, Ctrl-D, arrows) reaches the process in the container rather than this one; the
 * terminal is restored however the session ends.
 */
export async function withRawMode<T>(stdin: NodeJS.ReadStream | undefined, enabled: boolean, work: () => Promise<T>): Promise<T> {
  const raw = enabled && stdin?.isTTY === true
  if (raw) stdin!.setRawMode(true)
  try {
    return await work()
  } finally {
    if (raw) stdin!.setRawMode(false)
    // The engine piped stdin into the session; stop reading it so this process can exit.
    stdin?.pause()
  }
}

/**
 * What a TTY session inside the container needs from this terminal. The engine port cannot resize an
 * exec's TTY, so the size is passed as COLUMNS/LINES, which shells and most tools read at start.
 */
export function terminalEnv(env: NodeJS.ProcessEnv, out: NodeJS.WriteStream): Record<string, string> {
  const vars: Record<string, string> = { TERM: env.TERM && env.TERM !== 'dumb' ? env.TERM : 'xterm-256color' }
  if (out.columns) vars.COLUMNS = String(out.columns)
  if (out.rows) vars.LINES = String(out.rows)
  return vars
}
