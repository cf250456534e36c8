import type { Section } from '../instructions.js'
import { checkImage } from '../validate.js'

/** FROM, pinned by digest when the lock has one. */
export const base: Section = (r) => [
  r.base.digest === undefined ? '# Base image' : '# Base image, pinned by digest',
  ...(r.base.deletedUpstream === true
    ? ['# This tag no longer exists upstream: it must come from a registry mirror or a local rebuild.']
    : []),
  `FROM ${checkImage(r.base.image, r.base.digest)}`,
]
