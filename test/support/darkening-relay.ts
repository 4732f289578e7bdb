import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a server (PostgreSQL in the tests) that can go dark
 * the way a network does when a replica is cut off or a failed-over
 * database's old address stops answering: the connections through it stay
 * open on both sides, and nothing more passes either way, for good. The
 * server sees a session that has simply stopped talking. Connections made
 * after `lightUp()` pass again, as to the new primary.
 */
export class DarkeningRelay {
  private readonly server: Server;
  private readonly pairs: [Socket, Socket][] = [];
  private readonly sockets = new Set<Socket>();
  private dark = false;
  port = 0;

  constructor(target: number) {
    this.server = createServer((inbound) => {
      this.sockets.add(inbound);
      if (this.dark) return void inbound.pause();
      const outbound = connect(target, '127.0.0.1');
      this.sockets.add(outbound);
      for (const socket of [inbound, outbound]) socket.on('error', () => (inbound.destroy(), outbound.destroy()));
      inbound.pipe(outbound);
      outbound.pipe(inbound);
      this.pairs.push([inbound, outbound]);
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => {
        this.port = (this.server.address() as { port: number }).port;
        resolve();
      }),
    );
  }

  /** `url` with its port moved to the relay's. */
  in(url: string): string {
    const through = new URL(url);
    through.port = String(this.port);
    return through.toString();
  }

  goDark(): void {
    this.dark = true;
    for (const [inbound, outbound] of this.pairs.splice(0)) {
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      inbound.pause();
      outbound.pause();
    }
  }

  lightUp(): void {
    this.dark = false;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
