// A throwaway ssh:// test host for bench/ssh.sh: the integration tests' side engine (its own network namespace)
// with sshd beside it. Prints how to reach it as one JSON line, then runs until SIGTERM, when it tears down.
import { SideEngine } from '../test/integration/support/side-engine.js'

const engine = await SideEngine.start({ remote: true, ssh: { user: process.env.BENCH_SSH_USER ?? 'envctl-ci' } })
const ssh = engine.ssh!
console.log(JSON.stringify({ url: ssh.url, address: ssh.spec.address, port: ssh.port, dir: engine.dir, socket: engine.socket, key: ssh.clientKey, known: (await ssh.knownHostsLine()).trim() }))
const stop = async () => {
  await engine.teardown()
  process.exit(0)
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)
setInterval(() => undefined, 1 << 30)
