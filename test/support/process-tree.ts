/**
 * A server's processes as Linux's /proc shows them, for a server that forks
 * children in process groups of their own (PostgreSQL's postmaster gives every
 * backend its own session), so a group signal cannot reach them all.
 */
import { readdir, readFile } from 'node:fs/promises';

interface ProcStat {
  readonly state: string;
  readonly ppid: number;
}

async function procStat(pid: number): Promise<ProcStat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // After the ")" that closes the command name (which may hold spaces): state, ppid.
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is a running (or stopped) process. A zombie is not: init in a
 * container may never reap the orphans of a killed server.
 */
export async function isLiving(pid: number): Promise<boolean> {
  const stat = await procStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** The living processes whose parent is `pid`. */
export async function childProcessIds(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await procStat(Number(entry));
    if (stat?.ppid === pid && stat.state !== 'Z') children.push(Number(entry));
  }
  return children;
}

/**
 * SIGKILL to `pid` and its children at the same moment, as a machine crash
 * would. It is stopped first (SIGSTOP) so it can neither fork a new child
 * while we look nor notice a child's death and begin its crash restart.
 */
export async function killTree(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGSTOP');
  } catch {
    return; // gone already
  }
  const deadline = Date.now() + 2_000;
  while (Date.now() < deadline && (await procStat(pid))?.state !== 'T' && (await isLiving(pid))) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  for (const each of [...(await childProcessIds(pid)), pid]) {
    try {
      process.kill(each, 'SIGKILL');
    } catch {
      // exited on its own meanwhile
    }
  }
}
