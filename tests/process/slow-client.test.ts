import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHarness } from '../helpers/harness';

/** Small time-outs so that each case ends in about a second; production values are in config.ts. */
const timeouts = { headersMs: 500, requestMs: 1_000, idleMs: 1_000, keepAliveMs: 300 };
/** Longest any case waits for the server to hang up: well past every bound above. */
const GIVE_UP_MS = 8_000;

const h = await createHarness({ seed: false, config: { timeouts } });
let port = 0;
beforeAll(async () => {
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  port = (h.app.server.address() as AddressInfo).port;
});

interface Outcome {
  /** The server closed the connection (false: still open when the client gave up). */
  closedByServer: boolean;
  received: string;
}

/** Opens a raw connection, lets `talk` use it, and reports whether the server hung up. */
function connect(talk: (socket: net.Socket) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ closedByServer: false, received });
    }, GIVE_UP_MS);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ closedByServer: true, received });
    });
    socket.on('connect', () => talk(socket));
  });
}

describe('slow and idle clients are cut off', () => {
  it('a body dripped byte by byte is cut off before it ends', async () => {
    let sent = 0;
    const total = 100;
    const outcome = await connect((socket) => {
      socket.write(
        'POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n' +
          `Content-Type: application/json\r\nContent-Length: ${total}\r\n\r\n`,
      );
      // One byte every 100 ms: the whole body would take 10 s.
      const drip = setInterval(() => {
        if (socket.destroyed || sent >= total) return clearInterval(drip);
        socket.write(' ');
        sent++;
      }, 100);
      socket.on('close', () => clearInterval(drip));
    });
    expect(outcome.closedByServer).toBe(true);
    expect(sent).toBeLessThan(total);
  });

  it('headers sent a line at a time are cut off', async () => {
    let lines = 0;
    const outcome = await connect((socket) => {
      socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\n');
      const drip = setInterval(() => {
        if (socket.destroyed || lines >= 50) return clearInterval(drip);
        socket.write(`X-Slow-${lines++}: 1\r\n`);
      }, 100);
      socket.on('close', () => clearInterval(drip));
    });
    expect(outcome.closedByServer).toBe(true);
    expect(lines).toBeLessThan(50);
  });

  it('a connection that never sends a byte is closed', async () => {
    const outcome = await connect(() => {});
    expect(outcome.closedByServer).toBe(true);
  });

  it('an idle keep-alive connection is closed after its answer', async () => {
    const outcome = await connect((socket) => {
      socket.write('GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n');
    });
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200/);
    expect(outcome.closedByServer).toBe(true);
  });

  it('a normal request still works', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
