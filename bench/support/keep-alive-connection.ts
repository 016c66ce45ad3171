import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  /** The response head as sent (status line and headers), for the few callers that look at a header. */
  readonly head: string;
  readonly body: string;
}

interface Pending {
  readonly resolve: (answer: RawAnswer) => void;
  readonly reject: (error: Error) => void;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * FOR BENCHMARKS: one keep-alive HTTP/1.1 connection carrying one request at a time, as a reader
 * or a till holds one. The load generator shares two cores with the platform and PostgreSQL, so
 * what it spends per request is taken from the system being measured: like wrk, this client
 * writes each request as one prebuilt string and reads only the status, the head and the body
 * (Content-Length or chunked), about a third of undici's cost per request here. It is not a
 * general HTTP client: no redirects, no upgrades, no pipelining, and it trusts the server.
 */
export class KeepAliveConnection {
  readonly #socket: Socket;
  readonly #hostHeader: string;
  #pending: Pending | undefined;
  #buffered: Buffer = Buffer.alloc(0);
  #failure: Error | undefined;

  private constructor(socket: Socket, hostHeader: string) {
    this.#socket = socket;
    this.#hostHeader = hostHeader;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (error) => this.#fail(error));
    socket.on('close', () => this.#fail(new Error('the server closed the connection')));
  }

  static open(baseUrl: string): Promise<KeepAliveConnection> {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port || 80), url.hostname);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new KeepAliveConnection(socket, url.host));
      });
    });
  }

  /** `headerLines`: extra header lines, each ending in \r\n (built once by the caller). */
  request(method: string, path: string, headerLines: string, body?: string): Promise<RawAnswer> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pending) return Promise.reject(new Error('one request at a time on a KeepAliveConnection'));
    const length = body === undefined ? '' : `content-length: ${Buffer.byteLength(body)}\r\n`;
    this.#socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${this.#hostHeader}\r\n${headerLines}${length}\r\n${body ?? ''}`);
    return new Promise((resolve, reject) => (this.#pending = { resolve, reject }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }

  #onData(chunk: Buffer): void {
    try {
      this.#takeAnswer(chunk);
    } catch (error) {
      this.#fail(error as Error);
      this.#socket.destroy();
    }
  }

  #takeAnswer(chunk: Buffer): void {
    this.#buffered = this.#buffered.length === 0 ? chunk : Buffer.concat([this.#buffered, chunk]);
    const headEnd = this.#buffered.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.#buffered.toString('latin1', 0, headEnd);
    const bodyStart = headEnd + 4;
    const status = Number(head.slice(9, 12));
    const contentLength = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: string;
    let consumed: number;
    if (contentLength) {
      consumed = bodyStart + Number(contentLength[1]);
      if (this.#buffered.length < consumed) return;
      body = this.#buffered.toString('utf8', bodyStart, consumed);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const chunked = readChunked(this.#buffered, bodyStart);
      if (!chunked) return;
      ({ body, consumed } = chunked);
    } else {
      // No length: the body runs to the close (HTTP/1.1 servers that keep the connection never do this).
      return this.#fail(new Error(`response without a length: ${head.split('\r\n')[0]}`));
    }
    this.#buffered = this.#buffered.subarray(consumed);
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.resolve({ status, head, body });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.reject(error);
  }
}

/** A whole chunked body from `start`, or undefined until the last chunk has arrived. */
function readChunked(buffer: Buffer, start: number): { body: string; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error('malformed chunk size');
    const dataStart = lineEnd + 2;
    if (size === 0) {
      // No trailers from our servers: the last chunk is followed by one empty line.
      if (buffer.length < dataStart + 2) return undefined;
      return { body: Buffer.concat(parts).toString('utf8'), consumed: dataStart + 2 };
    }
    if (buffer.length < dataStart + size + 2) return undefined;
    parts.push(buffer.subarray(dataStart, dataStart + size));
    at = dataStart + size + 2;
  }
}
