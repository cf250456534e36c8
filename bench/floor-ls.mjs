// The floor under `envctl ls`: node starts, asks the engine for envctl's containers over the socket with
// node:http, parses the answer, exits. Nothing envctl does can be faster than this on the same machine.
import { request } from 'node:http'

const filters = encodeURIComponent(JSON.stringify({ label: ['dev.envctl.managed=1'] }))
request({ socketPath: '/var/run/docker.sock', path: `/containers/json?all=1&filters=${filters}` }, (res) => {
  let body = ''
  res.setEncoding('utf8').on('data', (d) => (body += d)).on('end', () => process.stdout.write(`${JSON.parse(body).length}\n`))
}).end()
