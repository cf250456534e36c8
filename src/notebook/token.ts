import { randomBytes } from 'node:crypto'

/** 256 bits from the OS's CSPRNG, hex so that it needs no escaping in a URL or a JSON file. */
export function newToken(random: (n: number) => Buffer = randomBytes): string {
  return random(32).toString('hex')
}
