import { describe, expect, it } from 'vitest'
import { splitAtDoubleDash } from '../../../src/commands/split-argv.js'
import { caught } from '../stack/helpers.js'

describe('splitAtDoubleDash', () => {
  it.each([
    [['--', 'sh', '-c', 'exit 7'], [], ['sh', '-c', 'exit 7']],
    [['myenv', '--json', '--', 'ls', '-la'], ['myenv', '--json'], ['ls', '-la']],
    [['-u', 'root', '--', 'npm', 'test', '--', '--watch'], ['-u', 'root'], ['npm', 'test', '--', '--watch']],
    [['--', '--json'], [], ['--json']],
  ])('%j → own %j, command %j', (argv, own, command) => {
    expect(splitAtDoubleDash(argv)).toEqual({ own, command })
  })

  it.each([[[]], [['myenv', 'ls']], [['myenv', '--']]])('%j is a usage error naming the fix', (argv) => {
    const err = caught(() => splitAtDoubleDash(argv))
    expect(err.code).toBe('USAGE')
    expect(err.message).toMatch(/no command given/)
    expect(err.hint).toContain('envctl exec [NAME] -- CMD')
  })
})
