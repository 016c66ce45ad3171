import { Agent, request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  /** Sent byte for byte: already percent-encoded where it should be, raw where the test means it. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface RawResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

/**
 * One HTTP exchange through node:http rather than fetch: fetch resolves `..` segments, re-encodes
 * the path and refuses a body on GET, and the fuzz means to send exactly those things.
 */
export function sendRaw(baseUrl: string, agent: Agent, raw: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...raw.headers };
    if (raw.body !== undefined) headers['content-length'] = Buffer.byteLength(raw.body);
    const req = request({ host: hostname, port, method: raw.method, path: raw.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // A request the server never answers is a failure too, not a hung test.
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(raw.body);
  });
}
