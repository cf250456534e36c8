import type { ExportResult } from './export.js'
import { describeSources } from './secret-values.js'

/** What the user is told on stderr about the passwords an export names: where they are, or how to give them. */
export function secretNotes(r: ExportResult): string[] {
  const s = r.secrets
  if (!s.variables.length) return []
  const names = s.variables.join(', ')
  if (s.file) {
    const wrote = `passwords in ${describeSources(s.file, s.entries)}; keep it out of version control`
    return s.command ? [wrote, `make the Secret the manifests read: ${s.command}`] : [wrote]
  }
  if (s.secret) return [`the manifests read ${names} from the Secret ${s.secret}: export with -o FILE to have them written to a file, then \`kubectl create secret generic ${s.secret} --from-env-file=FILE\``]
  return [`the Compose file reads ${names} from a .env file beside it (or the shell's environment): export with -o FILE to have it written`]
}
