import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import { Service } from 'kubernetes-models/v1/Service'
import { plan } from '../../../src/project/plan.js'
import { exportPlan } from '../../../src/export/export-plan.js'
import { k8sName, k8sObjects, quantity, statefulSet } from '../../../src/export/k8s.js'
import { PACKAGE_ROOT } from '../../../src/package-root.js'
import { cpuHost, h100 } from '../../support/spec.js'

// No Kubernetes API server runs here: the manifests are checked against the OpenAPI schemas that
// kubernetes-models carries (it ignores unknown fields, so the renderer is also typed by its interfaces).
const GOLDEN = fileURLToPath(new URL('../../fixtures/export/', import.meta.url))
const ws = { workspace: '/work/project', uid: 1000, gid: 1000 }
const k8sInput = { image: 'registry.example/pytorch@sha256:' + 'a'.repeat(64), workspaceSize: '20Gi', dataSize: '10Gi', notebook: true, uid: 1000, gid: 1000 }

function validate(o: { kind: string }): void {
  if (o.kind === 'StatefulSet') new StatefulSet(o as never).validate()
  else new Service(o as never).validate()
}

describe('k8s export', () => {
  for (const stack of ['pytorch', 'tensorflow-gpu', 'node', 'java']) {
    for (const [hostName, host] of Object.entries({ cpu: cpuHost, h100 })) {
      it(`${stack} on ${hostName} is valid against the schemas`, () => {
        const x = exportPlan(plan({ ref: stack, cwd: PACKAGE_ROOT, host }), ws)
        const objects = k8sObjects(x, { ...k8sInput, notebook: x.planned.plan.resolved.runtime === 'python' })
        expect(objects.map((o) => o.kind)).toContain('StatefulSet')
        for (const o of objects) expect(() => validate(o)).not.toThrow()
      })
    }
  }

  it('a notebook for a stack without Python is refused with the reason', () => {
    const x = exportPlan(plan({ ref: 'node', cwd: PACKAGE_ROOT, host: cpuHost }), ws)
    expect(() => k8sObjects(x, k8sInput)).toThrow(/no notebook for it: JupyterLab needs Python/)
  })

  for (const stack of ['pytorch', 'tensorflow-gpu']) {
    it(`${stack} for a GPU host asks for the GPU, tolerates the GPU taint, and has the user and shm`, () => {
      const x = exportPlan(plan({ ref: stack, cwd: PACKAGE_ROOT, host: h100 }), ws)
      const pod = statefulSet(x, k8sInput).spec!.template.spec!
      expect(pod.containers[0].resources?.limits?.['nvidia.com/gpu']).toBe('1')
      expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }])
      expect(pod.securityContext).toEqual({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 })
      expect(pod.volumes?.find((v) => v.name === 'dshm')?.emptyDir).toEqual({ medium: 'Memory', sizeLimit: '8Gi' })
    })
  }

  it('a CPU plan asks for no GPU and tolerates no GPU taint', () => {
    const x = exportPlan(plan({ ref: 'pytorch', cwd: PACKAGE_ROOT, host: cpuHost }), ws)
    const pod = statefulSet(x, k8sInput).spec!.template.spec!
    expect(pod.containers[0].resources).toBeUndefined()
    expect(pod.tolerations).toBeUndefined()
    expect(pod.volumes?.find((v) => v.name === 'dshm')?.emptyDir).toEqual({ medium: 'Memory', sizeLimit: '2Gi' })
  })

  it('the notebook is a Service on the named container port, its token from a Secret envctl does not write', () => {
    const x = exportPlan(plan({ ref: 'pytorch', cwd: PACKAGE_ROOT, host: cpuHost }), ws)
    const [, nb, sts] = k8sObjects(x, k8sInput) as [unknown, Service, StatefulSet]
    expect(nb.spec?.ports).toEqual([{ name: 'notebook', port: 8888, targetPort: 'notebook', protocol: 'TCP' }])
    const env = sts.spec!.template.spec!.containers[0].env!
    expect(env.find((e) => e.name === 'JUPYTER_TOKEN')?.valueFrom?.secretKeyRef).toEqual({ name: `${x.name}-notebook`, key: 'token' })
  })

  it('the schema check can fail: a lower-case protocol is rejected', () => {
    const x = exportPlan(plan({ ref: 'pytorch', cwd: PACKAGE_ROOT, host: cpuHost }), ws)
    const sts = statefulSet(x, k8sInput)
    sts.spec!.template.spec!.containers[0].ports = [{ containerPort: 80, protocol: 'tcp' as never }]
    expect(() => validate(sts)).toThrow(/protocol/)
  })

  it('every golden k8s file holds only StatefulSets and Services', () => {
    const files = readdirSync(GOLDEN).filter((f) => f.endsWith('.k8s.yaml'))
    expect(files.length).toBe(12)
    const services: Record<string, number> = { 'node-mysql-redis': 2, 'pytorch-postgres': 1, 'spring-mysql': 1, 'service-fields': 3 }
    for (const f of files) {
      const stack = f.split('.')[0]!
      const notebook = stack.startsWith('pytorch') ? 1 : 0
      const kinds = [...readFileSync(`${GOLDEN}${f}`, 'utf8').matchAll(/^kind: "(\w+)"/gm)].map((m) => m[1])
      const count = (k: string) => kinds.filter((x) => x === k).length
      expect([count('Service'), count('StatefulSet'), kinds.length], f).toEqual([1 + notebook + (services[stack] ?? 0), 1 + (services[stack] ?? 0), 2 + notebook + 2 * (services[stack] ?? 0)])
    }
  })

  it('names are DNS-1035 labels with room for the notebook suffix', () => {
    expect([k8sName('my_proj.v2'), k8sName('2fast'), k8sName('a'.repeat(60))]).toEqual(['my-proj-v2', 'env-2fast', 'a'.repeat(54)])
    const x = exportPlan(plan({ ref: 'pytorch', cwd: PACKAGE_ROOT, host: cpuHost }), { ...ws, workspace: '/work/My_Project.v2' })
    expect(k8sObjects(x, k8sInput).map((o) => o.metadata!.name)).toEqual(['my-project-v2-pytorch', 'my-project-v2-pytorch-notebook', 'my-project-v2-pytorch'])
  })

  it('sizes are quantities', () => {
    expect([quantity(2 ** 31), quantity(512 * 2 ** 20), quantity(1000)]).toEqual(['2Gi', '512Mi', '1000'])
  })
})
