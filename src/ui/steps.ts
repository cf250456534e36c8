/**
 * Long work as named steps. A service describes the steps; the command layer runs them through listr2 on a
 * terminal or as plain lines elsewhere (CI, pipes, --json), so use cases never know how progress is shown.
 */
export interface Reporter {
  /** A line of detail under the current step (build step names, pull progress). */
  output(line: string): void
}

export interface Step<C> {
  title: string
  /** Returns a short result shown next to the title ("cached", "built in 12 s"), or nothing. */
  run(ctx: C, report: Reporter): Promise<string | void>
  /** A reason to skip, decided when the step is reached. */
  skip?(ctx: C): string | false
}

export type StepRunner = <C>(steps: Step<C>[], ctx: C) => Promise<void>

/** Plain lines on stderr: one per step start and end, plus detail lines; for CI logs and pipes. */
export function plainRunner(write: (line: string) => void, verbose = false): StepRunner {
  return async (steps, ctx) => {
    for (const step of steps) {
      const skip = step.skip?.(ctx)
      if (skip) {
        write(`- ${step.title}: skipped (${skip})`)
        continue
      }
      write(`> ${step.title}`)
      const started = Date.now()
      const result = await step.run(ctx, { output: (line) => verbose && write(`  ${line}`) })
      write(`✓ ${step.title}${result ? `: ${result}` : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    }
  }
}

export const silentRunner: StepRunner = async (steps, ctx) => {
  for (const step of steps) if (!step.skip?.(ctx)) await step.run(ctx, { output: () => {} })
}
