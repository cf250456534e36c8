/** What the user opens; the token rides in the query, which JupyterLab trades for a cookie on first load. */
export function notebookUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/lab?token=${encodeURIComponent(token)}`
}

/** The same URL for lists and logs, where the token must not be shown. */
export function hiddenUrl(port: number): string {
  return `http://127.0.0.1:${port}/lab?token=***`
}

/** The readiness endpoint: 200 only with a valid token, 403 without. */
export function statusUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/api/status?token=${encodeURIComponent(token)}`
}
