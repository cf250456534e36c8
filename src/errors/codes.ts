// Exit codes are part of envctl's interface: scripts and CI branch on them. Documented in docs/ERRORS.md.
export const EXIT_CODES = {
  UNEXPECTED: 1,
  INVALID_STACK: 2,
  USAGE: 3,
  UNRESOLVABLE: 4,
  HOST_INCOMPATIBLE: 5,
  LOCK_DRIFT: 6,
  ENGINE_UNREACHABLE: 10,
  PULL_FAILED: 11,
  BUILD_FAILED: 12,
  GPU_UNAVAILABLE: 13,
  PORT_IN_USE: 14,
  NAME_CONFLICT: 15,
  NOT_FOUND: 16,
  START_FAILED: 17,
  NOTEBOOK_FAILED: 18,
  NETWORK_CHECK_FAILED: 19,
  EXPOSURE_UNCONFIRMED: 20,
  DISK_FULL: 21,
  INTERRUPTED: 130,
} as const

export type ErrorCode = keyof typeof EXIT_CODES
