import { controlCharacterIn, firstProblem, forbiddenCharacterIn, show } from './characters.js'

// A loose union of the range syntaxes people write for Python, Node and Java versions:
// "3.11", ">=3.10,<3.13", "~3.11", "^20", "2.3.*", "2.3.1+cu121", ">=2.0 <3", "*".
const VERSION = '\\d+(?:\\.(?:\\d+|[*xX]))*(?:[.-]?(?:a|b|rc|alpha|beta|dev|post)\\d*)?(?:\\+[A-Za-z0-9.]+)?'
const CLAUSE = `(?:(?:===|==|!=|~=|>=|<=|>|<|=|~|\\^) *${VERSION}|\\*)`
export const VERSION_RANGE = new RegExp(`^ *${CLAUSE}(?: *, *${CLAUSE}| +${CLAUSE})* *$|^ *${VERSION} *$`)
export const CUDA_VERSION = /^\d{1,2}\.\d{1,2}$/

const VERSION_FORBIDDEN = /[`$|&;\\'"(){}!#?]/

export function checkVersionRange(value: string): string | undefined {
  const reason = firstProblem(
    () => controlCharacterIn(value),
    () => forbiddenCharacterIn(value, VERSION_FORBIDDEN),
    () => (VERSION_RANGE.test(value) ? undefined : 'is not a version or range (e.g. "3.11", ">=3.10,<3.13", "~3.11")'),
  )
  return reason && `version ${show(value)} ${reason}`
}

export function checkCudaVersion(value: string): string | undefined {
  return CUDA_VERSION.test(value) ? undefined : `CUDA version ${show(value)} is not major.minor, e.g. "12.1"`
}
