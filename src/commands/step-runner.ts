import { EnvctlError } from '../errors/envctl-error.js'
import { plainRunner, silentRunner, type Step, type StepRunner } from '../ui/steps.js'
import { maskSecrets } from '../secrets/mask.js'

/** listr2 on an interactive terminal; plain lines in CI, pipes and logs; nothing with --json. Reads the terminal and CI env: the edge. */
export function stepRunner(json: boolean): StepRunner {
  if (json) return silentRunner
  const interactive = process.stderr.isTTY && !process.env.CI && process.env.TERM !== 'dumb'
  if (!interactive) return plainRunner((line) => process.stderr.write(`${maskSecrets(line)}\n`), Boolean(process.env.ENVCTL_VERBOSE))
  return async (steps, ctx) => {
    const { listrRunner } = await import('../ui/listr-runner.js')
    return listrRunner(steps.map(masking), ctx)
  }
}

/** A step whose detail lines and result pass the masking function (listr writes them itself). */
function masking<C>(step: Step<C>): Step<C> {
  return {
    ...step,
    async run(ctx, report) {
      const result = await step.run(ctx, { output: (line) => report.output(maskSecrets(line)) })
      return typeof result === 'string' ? maskSecrets(result) : result
    },
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
