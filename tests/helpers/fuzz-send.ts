import http from 'node:http';
import type { CallerName } from './fuzz-bases';
import type { FuzzRequest } from './fuzz-requests';
import type { Caller, Harness } from './harness';

/** An answer as the fuzz reads it. */
export interface Answer {
  statusCode: number;
  body: string;
  contentType: string;
}

/** Dot segments survive only on a real socket: `inject` resolves them as a browser would. */
const DOT_SEGMENT = /\/(\.|%2e){1,2}(\/|\?|$)/i;

/**
 * Each caller comes from an address of its own, as different people do: the per-address rate
 * limits of sign-in, setup and invitation links then let each caller's requests reach the handler.
 */
export const ADDRESSES: Record<CallerName, string> = {
  admin: '127.0.0.2',
  learner: '127.0.0.3',
  anonymous: '127.0.0.4',
};

/** Where requests go: the seeded instance, or a fresh one for the first-run setup. */
export interface Target {
  app: Harness['app'];
  port: number;
}

function sendRaw(
  port: number,
  address: string,
  token: string | undefined,
  req: FuzzRequest,
): Promise<Answer> {
  const headers: Record<string, string | number> = { ...req.headers };
  if (token) headers.cookie = `rappel_session=${token}`;
  if (req.payload !== undefined) headers['content-length'] = Buffer.byteLength(req.payload);
  return new Promise((resolve, reject) => {
    const r = http.request({
      host: '127.0.0.1',
      localAddress: address,
      port,
      method: req.method,
      path: req.url,
      headers,
    });
    r.on('error', reject);
    r.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({
          statusCode: res.statusCode!,
          body,
          contentType: String(res.headers['content-type'] ?? ''),
        }),
      );
    });
    r.end(req.payload);
  });
}

export async function send(
  caller: Caller,
  port: number,
  address: string,
  req: FuzzRequest,
): Promise<Answer> {
  if (DOT_SEGMENT.test(req.url)) return sendRaw(port, address, caller.token, req);
  const { label: _label, ...options } = req;
  const res = await caller.inject({ ...options, remoteAddress: address });
  return {
    statusCode: res.statusCode,
    body: res.body,
    contentType: String(res.headers['content-type'] ?? ''),
  };
}

/** Listens on a free port, for the requests only a real socket can carry. */
export async function listening(harness: Harness): Promise<Target> {
  await harness.app.listen({ port: 0, host: '127.0.0.1' });
  return { app: harness.app, port: (harness.app.server.address() as { port: number }).port };
}
