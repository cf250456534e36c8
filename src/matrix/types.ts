/**
 * Shapes of the compatibility data in data/matrix/*.json. The data is the knowledge; these types only
 * say how it is laid out. Every record may carry `confidence` for fields that are not read from a primary
 * source: a map from field name to one of the marks below (absent means confirmed in a primary source).
 * The key "exists" marks the record itself (a wheel variant or an image tag whose existence is not confirmed).
 */
export type Confidence = 'confirmed' | 'third-party' | 'inferred' | 'unconfirmed'
export type ConfidenceMap = Record<string, Confidence>

/**
 * Where a record's facts were read: ids of `sources` in index.json. Every record carries at least one;
 * a record whose only source is GENERAL (general knowledge) must mark its facts unconfirmed.
 */
export type SourceIds = string[]

export interface MatrixIndex {
  /** Version of the data set as a whole, e.g. "2026.12.02"; recorded in every lock. */
  version: string
  /** Where the facts come from; id → description with the commit or date read. */
  sources: Record<string, string>
}

/** How pip finds the wheels of one variant in one era (see matrix-facts §1.1). */
export interface WheelSource {
  kind: 'index-url' | 'extra-index-url' | 'find-links' | 'pypi'
  url?: string
}

export interface TorchVariant {
  /** "cpu", "cu118", "cu90", … */
  name: string
  /** CUDA version of the build ("11.8"), null for CPU. */
  cuda: string | null
  /** cuDNN bundled with the wheel, when known. */
  cudnn?: string | null
  /** Compute capabilities with native kernels, "major.minor". */
  archs?: string[]
  /** Compute capabilities whose PTX is embedded (lets newer GPUs JIT). */
  ptx?: string[]
  /** Local version tag the wheels carry, "+cu118"; null when the era had none. */
  localTag: string | null
  source: WheelSource
  /** CPython versions this variant has wheels for at this version, where they differ from the release's. */
  python?: string[]
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface TorchRelease {
  torch: string
  torchvision: string | null
  torchaudio: string | null
  /** CPython versions with wheels, "3.11". */
  python: string[]
  /** Variant name of the plain PyPI wheel, when PyPI has one and it is known. */
  pypiVariant?: string | null
  /** Lowest glibc the wheels' manylinux tag needs ("2.28"), where the data knows it. */
  minGlibc?: string
  variants: TorchVariant[]
  /** What a resolution says when it installs this companion with this release (e.g. a cross-release pairing). */
  companionNotices?: Partial<Record<'torchvision' | 'torchaudio', string>>
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface TorchMatrix {
  notes?: string
  releases: TorchRelease[]
}

export interface TensorflowRelease {
  /** "2.15" — rows are per minor; any patch release of that minor matches. */
  minor: string
  /** The version the tested-configurations table names, "2.15.0". */
  tested: string
  python: string[]
  cuda: string | null
  cudnn: string | null
  /** Package for GPU installs: "tensorflow-gpu", "tensorflow", "tensorflow[and-cuda]". */
  gpuPackage: string
  /** Package for CPU installs: "tensorflow" or "tensorflow-cpu". */
  cpuPackage: string
  /** true when the GPU package brings CUDA/cuDNN as pip packages (no system CUDA needed). */
  pipBundlesCuda: boolean
  /** Compute capabilities with native kernels (sm_XY in the release build). */
  archs?: string[]
  /** Compute capabilities carried as PTX (compute_XY); need not be among archs (TF 2.4-2.11 carry 8.0 as PTX only). */
  ptx?: string[]
  /** Exact releases of this minor that cannot be installed as a package, and the one to use instead. */
  unavailable?: UnavailableRelease[]
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface UnavailableRelease {
  version: string
  /** The package form that fails, "tensorflow[and-cuda]". */
  package: string
  /** The installable release to resolve to instead. */
  use: string
  /** One sentence for the resolution's notice: what fails and why the replacement is the same release. */
  why: string
  sources: SourceIds
}

export interface TensorflowMatrix {
  notes?: string
  releases: TensorflowRelease[]
}

export interface MxnetPackage {
  /** PyPI name, "mxnet-cu90". */
  package: string
  cuda: string | null
  versions: string[]
  /** Whether the wheel links cuDNN statically (needs only a runtime image). */
  staticCudnn?: boolean
  /** cuDNN the image must provide when it is not static: the major ("8") or major.minor. */
  cudnn?: string
  /** Other libraries the image must provide (names as in cuda-images.json flavors, e.g. "nccl"). */
  systemLibraries?: string[]
  /** CPython versions for these versions, where they differ from the file-level list. */
  python?: string[]
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface MxnetMatrix {
  notes?: string
  packages: MxnetPackage[]
  /** Python range the 1.x wheels work with (py2.py3 wheels; constrained by dependencies). */
  python: string[]
  confidence?: ConfidenceMap
}

export interface CudaToolkit {
  /** "12.6.3" or "9.0.176"; "12.6" identifies the minor family. */
  version: string
  label: string
  /** Lowest Linux driver; null where the release notes were not read for it (unknown). */
  minDriverLinux: string | null
  minDriverWindows?: string | null
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface CudaFamily {
  major: number
  /** Minor-version compatibility: any driver in [minDriver, belowDriver) runs any minor of this major. */
  minorCompat: boolean
  minDriver?: string
  belowDriver?: string | null
  sources: SourceIds
}

export interface ArchChange {
  /** CUDA version that made the change, "11.8". */
  cuda: string
  adds: string[]
  removes: string[]
  /** Still supported but announced for removal. */
  deprecates?: string[]
  /** Lowest compute capability this CUDA can still target. */
  minArch?: string
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface CudaMatrix {
  notes?: string
  toolkits: CudaToolkit[]
  families: CudaFamily[]
  archChanges: ArchChange[]
  /** GPU model → compute capability, for messages only. */
  gpuNames?: Record<string, string>
  gpuNamesSources?: SourceIds
}

export type CudaImageFlavor = 'base' | 'runtime' | 'devel'

export interface CudaImageTag {
  tag: string
  cuda: string
  cudnn: string | null
  flavor: CudaImageFlavor
  os: string
  /** 'available' on Docker Hub as far as the data knows; 'deleted' when NVIDIA removed it. */
  status: 'available' | 'deleted'
  /** For deleted tags: where the Dockerfile to rebuild it lives. */
  rebuildFrom?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

/** What every image of a flavor carries (the cudnn variants add cuDNN on top). */
export interface CudaImageFlavorRecord {
  flavor: CudaImageFlavor
  /** Library names, e.g. "cudart", "cublas", "nccl". */
  libraries: string[]
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface CudaImagesMatrix {
  notes?: string
  repository: string
  tags: CudaImageTag[]
  flavors: CudaImageFlavorRecord[]
}

export interface OsRelease {
  /** "ubuntu22.04", "debian12". */
  id: string
  /** Python 3 version the distribution ships as python3. */
  python: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface PythonImage {
  python: string
  image: string
  os: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface BaseImagesMatrix {
  notes?: string
  os: OsRelease[]
  python: PythonImage[]
}

export interface NodeRelease {
  major: number
  image: string
  lts: boolean
  endOfLife: string
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface JavaRelease {
  major: number
  /** JDK image, "eclipse-temurin:21-jdk". */
  image: string
  lts: boolean
  /** Official Maven image on this JDK, for maven builds. */
  mavenImage?: string
  /** Official Gradle image on this JDK, for gradle builds. */
  gradleImage?: string
  notes?: string
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface BuildTool {
  name: 'maven' | 'gradle'
  version: string
  /** Debian package or download the renderer installs it from. */
  install: { apt?: string; url?: string }
  confidence?: ConfidenceMap
  sources: SourceIds
}

export interface LanguagesMatrix {
  notes?: string
  node: NodeRelease[]
  java: JavaRelease[]
  buildTools: BuildTool[]
}

/** Tooling every Python environment gets (the notebook server), chosen by the environment's python. */
export interface ToolingMatrix {
  notebook: Array<{ python: string; requirement: string; confidence?: ConfidenceMap; sources: SourceIds }>
}

export interface Matrix {
  index: MatrixIndex
  torch: TorchMatrix
  tensorflow: TensorflowMatrix
  mxnet: MxnetMatrix
  cuda: CudaMatrix
  cudaImages: CudaImagesMatrix
  baseImages: BaseImagesMatrix
  languages: LanguagesMatrix
  tooling: ToolingMatrix
  defaults: DefaultsMatrix
}

/** A value the resolvers default to or cut over at, with where it was read (defaults.json). */
export interface Sourced {
  source: string
}

/** Defaults and era cut-offs that used to be written in code (data/matrix/defaults.json). */
export interface DefaultsMatrix {
  notes?: string
  /** The base image of a stack without a language runtime. */
  plainBase: Sourced & { image: string; os: string }
  /** The OS of the official images each language's rows in languages.json name. */
  languageBaseOs: Array<Sourced & { language: 'node' | 'java'; os: string }>
  /** Torch releases whose official pip commands tag this companion with the variant's local tag (+cu118): fromTorch ≤ torch < beforeTorch. */
  torchCompanionLocalTags: Array<Sourced & { package: 'torchvision' | 'torchaudio'; fromTorch: string; beforeTorch: string }>
}
