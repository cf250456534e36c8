// A small YAML emitter for the exports: block mappings and sequences, every string double-quoted.
// JSON's string escaping is a subset of YAML's double-quoted style, so JSON.stringify quotes a string safely
// (no value is ever read as a number, a boolean, `null`, an anchor or a tag); numbers and booleans stay plain.
// Keys are quoted unless they are plain words, so `nvidia.com/gpu` and `8888/tcp` read back as written.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue | undefined }

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\/-]*$/

function key(k: string): string {
  return PLAIN_KEY.test(k) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(k) ? k : JSON.stringify(k)
}

function scalar(v: string | number | boolean | null): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

function isEmpty(v: YamlValue): boolean {
  return Array.isArray(v) ? v.length === 0 : v !== null && typeof v === 'object' && Object.keys(v).length === 0
}

function block(v: YamlValue, indent: string): string[] {
  if (Array.isArray(v)) return v.flatMap((item) => entry('- ', item, indent))
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).filter(([, x]) => x !== undefined).flatMap(([k, x]) => entry(`${key(k)}: `, x as YamlValue, indent))
  }
  return [`${indent}${scalar(v)}`]
}

/** One `key: value` or `- value`: a scalar or empty collection on the same line, anything else below it. */
function entry(head: string, v: YamlValue, indent: string): string[] {
  if (v === null || typeof v !== 'object') return [`${indent}${head}${scalar(v)}`]
  if (isEmpty(v)) return [`${indent}${head}${Array.isArray(v) ? '[]' : '{}'}`]
  const inner = block(v, `${indent}  `)
  if (head === '- ') return [`${indent}- ${inner[0].trimStart()}`, ...inner.slice(1)]
  return [`${indent}${head.trimEnd()}`, ...inner]
}

export function toYaml(v: YamlValue): string {
  return `${block(v, '').join('\n')}\n`
}

/** Several documents in one file, as kubectl apply -f reads them. */
export function toYamlDocuments(docs: YamlValue[]): string {
  return docs.map((d) => `---\n${toYaml(d)}`).join('')
}
