import type { Step, StepRunner } from './steps.js'

/** A listr2 task list on stderr (stdout stays the result) for terminals: each step a task, detail lines in its bottom bar. */
export const listrRunner: StepRunner = async <C>(steps: Step<C>[], ctx: C) => {
  const { Listr, ListrLogger, ProcessOutput } = await import('listr2')
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) })
  const tasks = steps.map((step) => ({
    title: step.title,
    skip: () => step.skip?.(ctx) ?? false,
    task: async (_: unknown, task: { output: string; title: string }) => {
      const result = await step.run(ctx, { output: (line) => (task.output = line) })
      if (result) task.title = `${step.title}: ${result}`
    },
    rendererOptions: { bottomBar: 6 },
  }))
  const list = new Listr(tasks, { concurrent: false, exitOnError: true, rendererOptions: { collapseSubtasks: false, logger }, fallbackRendererCondition: () => false })
  await list.run()
}
