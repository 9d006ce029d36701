import net from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a server, to play database outages without root: `cut`
 * drops every connection and refuses new ones (the server stopped); `blackHole` stops
 * forwarding, accepting connections that then hear nothing (a network partition); `restore`
 * forwards again, resetting the connections the partition froze (by then the server has
 * dropped them).
 */
export interface TcpProxy {
  /** The proxy's address, for a database URL. */
  host: string;
  port: number;
  cut(): Promise<void>;
  blackHole(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'up' | 'blackHole' | 'down' = 'up';
  const sockets = new Set<net.Socket>();
  const frozen = new Set<net.Socket>();

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      frozen.delete(socket);
    });
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer((client) => {
    track(client);
    if (mode !== 'up') {
      client.pause();
      frozen.add(client);
      return;
    }
    const upstream = net.connect(target.port, target.host);
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const { port } = server.address() as net.AddressInfo;

  const destroyAll = (set: Set<net.Socket>) => {
    for (const s of [...set]) s.destroy();
  };

  return {
    host: '127.0.0.1',
    port,
    async cut() {
      mode = 'down';
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      destroyAll(sockets);
      await closed;
    },
    blackHole() {
      mode = 'blackHole';
      for (const s of sockets) {
        s.unpipe();
        s.pause();
        frozen.add(s);
      }
    },
    async restore() {
      destroyAll(frozen);
      if (mode === 'down') await listen(port);
      mode = 'up';
    },
    async close() {
      destroyAll(sockets);
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
