import { execForm } from '../escape.js'
import type { Section } from '../instructions.js'

/**
 * The container is a long-lived dev environment: the user enters it with `envctl shell` (exec), and envctl
 * starts a notebook itself when asked. So the default command only has to keep the container up.
 * Exec form: no shell between the engine and the process, so the stack's command is never re-parsed.
 */
export const command: Section = (r) =>
  r.run.command === undefined
    ? ['# Keep the container running; envctl shell enters it, envctl starts notebooks itself', 'CMD ["sleep", "infinity"]']
    : ['# Command from the stack', `CMD ${execForm(r.run.command, 'run command')}`]
