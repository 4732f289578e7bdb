/**
 * Which process holds a TCP connection, as Linux's /proc shows it: a stand-in
 * sees a request's remote port, and a test that must kill "the replica doing
 * this" needs the process behind that port (its worker threads share its pid).
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** The socket inodes of IPv4 and IPv6 TCP connections whose local port is `port`. */
async function inodesOfLocalPort(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = await readFile(table, 'utf8');
    } catch {
      continue; // no IPv6 here
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (!local || fields[9] === undefined) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port && fields[9] !== '0') inodes.add(fields[9]);
    }
  }
  return inodes;
}

/**
 * The one of `pids` with an open connection from local port `port`, or
 * undefined if none has (it closed, or it is someone else's).
 */
export async function ownerOfLocalPort(port: number, pids: readonly number[]): Promise<number | undefined> {
  const inodes = await inodesOfLocalPort(port);
  if (inodes.size === 0) return undefined;
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue; // gone
    }
    for (const fd of fds) {
      const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) return pid;
    }
  }
  return undefined;
}
