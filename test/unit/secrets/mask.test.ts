import { describe, expect, it } from 'vitest'
import { hasCredentials, maskDeep, maskSecrets, maskUrl, splitUserinfo } from '../../../src/secrets/mask.js'

describe('maskUrl', () => {
  it.each([
    ['https://user:pass@host/simple', 'https://user:***@host/simple'],
    ['http://ci:p%40ss@127.0.0.1:8081/simple', 'http://ci:***@127.0.0.1:8081/simple'],
    // a lone user name is a token (GitHub, GitLab accept a token as the user)
    ['https://ghp_abc123@host/x', 'https://***@host/x'],
    // the last @ before the path ends the userinfo
    ['https://u:a@b@host/x', 'https://u:***@host/x'],
    ['https://host/simple?token=abc&page=2', 'https://host/simple?token=***&page=2'],
    ['https://host/s?api_key=k&X-Amz-Signature=s#frag', 'https://host/s?api_key=***&X-Amz-Signature=***#frag'],
    ['https://host/simple', 'https://host/simple'],
    ['https://host/x?page=2&q=torch', 'https://host/x?page=2&q=torch'],
    ['http://proxy:S@proxy.example:3128', 'http://proxy:***@proxy.example:3128'],
  ])('%s → %s', (url, shown) => {
    expect(maskUrl(url)).toBe(shown)
    expect(hasCredentials(url)).toBe(url !== shown)
  })
})

describe('maskSecrets in text', () => {
  it('masks every URL in a message, whatever surrounds it', () => {
    const text = `pip: Looking in indexes: http://ci:SECRET@127.0.0.1:8081/simple, https://x.example/s?token=SECRET\nURL "https://a:SECRET@h/" has no scheme`
    expect(maskSecrets(text)).not.toContain('SECRET')
    expect(maskSecrets(text)).toContain('http://ci:***@127.0.0.1:8081/simple')
  })

  it("keeps the notebook's own loopback URL whole: envctl prints it for the user on purpose", () => {
    const url = 'http://127.0.0.1:8888/lab?token=0123abcd'
    expect(maskSecrets(`notebook   ${url}`)).toBe(`notebook   ${url}`)
    expect(maskSecrets('http://127.0.0.1:8081/simple?api_key=k')).toBe('http://127.0.0.1:8081/simple?api_key=***')
    expect(maskSecrets('https://example.com/lab?token=t')).toBe('https://example.com/lab?token=***')
  })

  it("keeps a password that is only a variable reference (an export's), and masks one that merely contains one", () => {
    for (const ref of ['${DB_PASSWORD}', '${DB_PASSWORD:?set it}', '$(DB_PASSWORD)']) expect(maskSecrets(`mysql://root:${ref}@db:3306/app`)).toBe(`mysql://root:${ref}@db:3306/app`)
    expect(maskSecrets('mysql://root:x${DB_PASSWORD}@db/app')).toBe('mysql://root:***@db/app')
    expect(maskSecrets('mysql://root:$(A)$(B)@db/app')).toBe('mysql://root:***@db/app')
  })

  it('leaves text without URLs unchanged', () => {
    expect(maskSecrets('token=abc user:pass@host')).toBe('token=abc user:pass@host')
  })

  it('maskDeep masks every string of a --json result, keeping its shape', () => {
    const result = { a: ['http://u:SECRET@h/'], b: { c: 'https://u:SECRET@h/x', n: 3, ok: true, none: null } }
    expect(maskDeep(result)).toEqual({ a: ['http://u:***@h/'], b: { c: 'https://u:***@h/x', n: 3, ok: true, none: null } })
  })
})

describe('splitUserinfo', () => {
  it('returns the URL without credentials and the decoded user and password', () => {
    expect(splitUserinfo('https://ci:p%40ss@host:8443/simple')).toEqual({ url: 'https://host:8443/simple', user: 'ci', password: 'p@ss' })
    expect(splitUserinfo('https://tok@host/')).toEqual({ url: 'https://host/', user: 'tok' })
    expect(splitUserinfo('https://host/')).toEqual({ url: 'https://host/' })
  })
})
