/**
 * A network namespace for a benchmark's load generator (BENCH_NETNS=1): the
 * receivers run inside it and reach the servers over a veth pair, a real
 * network path with its own interface, instead of sharing the servers'
 * loopback. Needs root (`ip netns`, `ip link`); removed again by `remove()`
 * (deleting the namespace deletes its end of the pair, and with it the pair).
 */
import { execFileSync } from 'node:child_process';

export interface Netns {
  name: string;
  /** The servers' address as seen from inside the namespace. */
  hostIp: string;
  /** Prefix that runs a command inside the namespace. */
  exec: string[];
  /** `url` with its host replaced by hostIp (a server listening on every address). */
  reach(url: string): string;
  remove(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function createNetns(tag: string): Netns {
  // Names of interfaces are at most 15 characters; the pid keeps two runs apart.
  const suffix = `${process.pid % 100000}`;
  const name = `agora-${tag}-${suffix}`;
  const [hostLink, nsLink] = [`agh${suffix}`, `agn${suffix}`];
  // A /30 in 10.203.0.0/16, picked by pid so two runs at once don't collide.
  const block = 4 * (process.pid % 16384);
  const address = (n: number) => `10.203.${block >> 8}.${(block & 255) + n}`;
  const [hostIp, nsIp] = [address(1), address(2)];
  const remove = () => {
    try {
      ip('netns', 'delete', name);
    } catch {
      // already gone
    }
    try {
      ip('link', 'delete', hostLink);
    } catch {
      // went with the namespace
    }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    ip('link', 'set', nsLink, 'netns', name);
    ip('addr', 'add', `${hostIp}/30`, 'dev', hostLink);
    ip('link', 'set', hostLink, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${nsIp}/30`, 'dev', nsLink);
    ip('netns', 'exec', name, 'ip', 'link', 'set', nsLink, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (error) {
    remove();
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`BENCH_NETNS: could not set up network namespace ${name} (needs root and iproute2): ${stderr || (error as Error).message}`);
  }
  console.log(`network namespace ${name}: receivers at ${nsIp}, servers reached at ${hostIp} (veth ${hostLink} ↔ ${nsLink})`);
  return {
    name,
    hostIp,
    exec: ['ip', 'netns', 'exec', name],
    reach: (url) => {
      const u = new URL(url);
      u.hostname = hostIp;
      return u.origin + (u.pathname === '/' ? '' : u.pathname);
    },
    remove,
  };
}
