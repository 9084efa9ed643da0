/**
 * The TLS options of the API's https server (the early socket's and the full API's).
 *
 * `ca: []` says there is no CA to trust for client certificates: the API asks for none (kubectl
 * sends a bearer token), so none is ever verified. Without a `ca`, Node gives every new secure
 * context its bundled root certificates, and the first one parses all of them: 30-50 ms of CPU
 * measured before the first listen of a process (docs/BENCHMARKS.md, session 11, cluster start).
 * With the empty list that store is never built; what the server sends (its own self-signed
 * certificate) and what a client checks are the same.
 */
export function serverTlsOptions(tls: { key: string; cert: string }): { key: string; cert: string; ca: string[] } {
  return { key: tls.key, cert: tls.cert, ca: [] };
}
