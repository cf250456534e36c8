import { EnvctlError } from '../errors/envctl-error.js'
import { plainRunner, silentRunner, type StepRunner } from '../ui/steps.js'

/** listr2 on an interactive terminal; plain lines in CI, pipes and logs; nothing with --json. Reads the terminal and CI env: the edge. */
export function stepRunner(json: boolean): StepRunner {
  if (json) return silentRunner
  const interactive = process.stderr.isTTY && !process.env.CI && process.env.TERM !== 'dumb'
  if (!interactive) return plainRunner((line) => process.stderr.write(`${line}\n`), Boolean(process.env.ENVCTL_VERBOSE))
  return async (steps, ctx) => {
    const { listrRunner } = await import('../ui/listr-runner.js')
    return listrRunner(steps, ctx)
  }
}

/** Ctrl-C aborts the work through an AbortSignal, so the service can clean up; the error says so. */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  process.once('SIGINT', onSigint)
  try {
    return await work(controller.signal)
  } catch (e) {
    if (controller.signal.aborted && !(e instanceof EnvctlError && e.code === 'INTERRUPTED')) {
      throw new EnvctlError('INTERRUPTED', 'interrupted; nothing was left behind (the previous image and container are unchanged)', { cause: e })
    }
    throw e
  } finally {
    process.removeListener('SIGINT', onSigint)
  }
}

/** An ora spinner on stderr while `work` runs, on an interactive terminal only (never with --json or in CI). */
export async function withSpinner<T>(text: string, json: boolean, work: () => Promise<T>): Promise<T> {
  const interactive = !json && process.stderr.isTTY && !process.env.CI && process.env.TERM !== 'dumb'
  if (!interactive) return work()
  const { default: ora } = await import('ora')
  const spinner = ora({ text, stream: process.stderr }).start()
  try {
    const result = await work()
    spinner.stop()
    return result
  } catch (e) {
    spinner.fail()
    throw e
  }
}
