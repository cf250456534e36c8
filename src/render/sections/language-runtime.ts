import { envInstruction, runInstruction, type Section } from '../instructions.js'
import { needsPython, VENV } from '../python.js'

/**
 * Python gets one virtual environment, first on PATH for later build steps and for the user. Node and Java
 * come with their base images (official node, maven/gradle images), so they need nothing here.
 *
 * umask 0000 (here and in every pip layer) leaves the venv writable by any uid: the container runs as the
 * host user's uid, not root, and must be able to `pip install` more later. A `chmod -R` afterwards would do
 * the same, but it rewrites every file, so the whole (GB-sized) venv would be copied into a new layer.
 */
export const languageRuntime: Section = (r) => {
  if (!needsPython(r)) return []
  return [
    '# Python runtime: a virtual environment every later step and the user share',
    '# (umask 0000: writable by the run-time uid without a chmod -R that would duplicate the layer)',
    ...runInstruction([], ['umask 0000', `python3 -m venv ${VENV}`]),
    ...envInstruction([
      ['VIRTUAL_ENV', VENV],
      ['PATH', `${VENV}/bin:$PATH`],
      ['PYTHONUNBUFFERED', '1'],
      ['PIP_DISABLE_PIP_VERSION_CHECK', '1'],
    ]),
  ]
}
