import { aptPackageName, mavenPackageName, npmPackageName } from './formats/packages.js'
import { pipPackageName } from './formats/pep508.js'

export type PackageManager = 'pip' | 'apt' | 'npm' | 'maven'

/**
 * The identity of a package list entry: two entries with the same name are the same package, so a
 * later file's pin replaces the earlier one and one file may not list a package twice.
 */
export const PACKAGE_NAME: Record<PackageManager, (spec: string) => string> = {
  pip: pipPackageName,
  apt: aptPackageName,
  npm: npmPackageName,
  maven: mavenPackageName,
}
