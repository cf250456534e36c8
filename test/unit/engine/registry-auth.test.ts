import { describe, expect, it } from 'vitest'
import { lookupRegistryAuth, normaliseRegistry, registryOf } from '../../../src/engine/registry-auth.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('registryOf', () => {
  it.each([
    ['debian:bookworm-slim', 'docker.io'],
    ['library/debian', 'docker.io'],
    ['pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime', 'docker.io'],
    ['nvcr.io/nvidia/cuda:12.4.1-base-ubuntu22.04', 'nvcr.io'],
    ['127.0.0.1:5000/library/debian:bookworm-slim', '127.0.0.1:5000'],
    ['localhost/foo', 'localhost'],
    ['ghcr.io/org/img@sha256:abc', 'ghcr.io'],
    ['docker.io/library/python:3.11', 'docker.io'],
  ])('%s comes from %s', (ref, registry) => {
    expect(registryOf(ref)).toBe(registry)
  })
})

describe('normaliseRegistry', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['http://127.0.0.1:5000/v2/', '127.0.0.1:5000'],
    ['GHCR.IO', 'ghcr.io'],
  ])('%s → %s', (key, expected) => {
    expect(normaliseRegistry(key)).toBe(expected)
  })
})

describe('lookupRegistryAuth', () => {
  const config = JSON.stringify({
    auths: {
      'https://index.docker.io/v1/': { auth: b64('hubuser:hub:pass') },
      'ghcr.io': { auth: b64('octo:ghp_token') },
      'registry.example.com': { identitytoken: 'id-token' },
      'empty.example.com': {},
    },
    credHelpers: { 'gcr.io': 'gcloud' },
  })

  it('decodes the base64 auth of Docker Hub, keeping colons in the password', () => {
    expect(lookupRegistryAuth(config, 'docker.io')).toEqual({
      auth: { serveraddress: 'https://index.docker.io/v1/', username: 'hubuser', password: 'hub:pass' },
    })
  })

  it('matches other registries by host', () => {
    expect(lookupRegistryAuth(config, 'ghcr.io').auth).toEqual({ serveraddress: 'ghcr.io', username: 'octo', password: 'ghp_token' })
  })

  it('passes identity tokens through', () => {
    expect(lookupRegistryAuth(config, 'registry.example.com').auth).toEqual({ serveraddress: 'registry.example.com', identitytoken: 'id-token' })
  })

  it('names the credential helper for a registry in credHelpers, with the server URL it is asked for', () => {
    expect(lookupRegistryAuth(config, 'gcr.io')).toEqual({ helper: { name: 'gcloud', via: 'credHelpers["gcr.io"]', serverUrl: 'gcr.io' } })
  })

  it('asks credsStore for Docker Hub by its v1 server URL, and credHelpers beats credsStore', () => {
    const both = JSON.stringify({ credsStore: 'desktop', credHelpers: { '127.0.0.1:5001': 'envctltest' } })
    expect(lookupRegistryAuth(both, 'docker.io')).toEqual({ helper: { name: 'desktop', via: 'credsStore', serverUrl: 'https://index.docker.io/v1/' } })
    expect(lookupRegistryAuth(both, '127.0.0.1:5001').helper).toEqual({ name: 'envctltest', via: 'credHelpers["127.0.0.1:5001"]', serverUrl: '127.0.0.1:5001' })
  })

  it('an empty credHelpers entry sends its registry back to auths, past credsStore, as the docker CLI does', () => {
    const optedOut = JSON.stringify({ credsStore: 'pass', credHelpers: { 'ghcr.io': '' }, auths: { 'ghcr.io': { auth: b64('octo:tok') } } })
    expect(lookupRegistryAuth(optedOut, 'ghcr.io')).toEqual({ auth: { serveraddress: 'ghcr.io', username: 'octo', password: 'tok' } })
  })

  it('lets a configured helper decide over an auths entry, as the docker CLI does (docker login leaves a marker there)', () => {
    const withStore = JSON.stringify({ credsStore: 'pass', auths: { 'ghcr.io': { auth: b64('octo:stale') } } })
    expect(lookupRegistryAuth(withStore, 'ghcr.io')).toEqual({ helper: { name: 'pass', via: 'credsStore', serverUrl: 'ghcr.io' } })
  })

  it('finds nothing for unknown registries, empty entries and unreadable config', () => {
    expect(lookupRegistryAuth(config, 'quay.io')).toEqual({})
    expect(lookupRegistryAuth(config, 'empty.example.com')).toEqual({})
    expect(lookupRegistryAuth('{not json', 'docker.io')).toEqual({})
    expect(lookupRegistryAuth('null', 'docker.io')).toEqual({})
  })
})
