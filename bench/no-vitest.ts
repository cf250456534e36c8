// bench/ssh-host.ts reuses the integration tests' support code outside vitest: these stand in for the
// vitest names it imports (only describeSideEngine uses them, and the bench never calls it).
const outside = () => {
  throw new Error('not inside vitest')
}
export const describe = Object.assign(outside, { skip: outside })
export const it = outside
export const expect = outside
export const beforeAll = outside
export const afterAll = outside
