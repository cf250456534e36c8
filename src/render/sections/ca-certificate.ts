import { caPerStep, hasCa, installCaSteps, IN_IMAGE_ENV } from '../ca.js'
import { envInstruction, runInstruction, type Section } from '../instructions.js'

/**
 * The CA bundle, right after the base image so that every download trusts it. By default nothing is
 * written here: download steps mount it for their own RUN. With network.ca_in_image it is installed.
 */
export const caCertificate: Section = (r) => {
  if (!hasCa(r)) return []
  if (caPerStep(r)) {
    return ['# CA bundle (network.ca_bundle): each download step bind-mounts it for that step only; it is in no layer']
  }
  const { copy, steps } = installCaSteps()
  return [
    '# CA bundle installed into the image trust store (network.ca_in_image = true)',
    copy,
    ...runInstruction([], steps),
    ...envInstruction(IN_IMAGE_ENV),
  ]
}
