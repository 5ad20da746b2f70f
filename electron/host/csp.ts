/** The renderer's CSP when served by the browser host: its own origin, and its bridge socket. */
export const CONTENT_SECURITY_POLICY_HOST = (origin: string): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${origin.replace(/^http/, 'ws')}/bridge`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
