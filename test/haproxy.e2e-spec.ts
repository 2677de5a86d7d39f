import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { insertAccount } from '../src/auth/accounts.js';
import { buildIfStale, freePort, startAppProcess, startTwoInstances, type AppProcess } from './support/app-process.js';
import { newForum, newQuestion } from './support/fixtures.js';
import { eventually, pause, sessionCookie } from './support/sockets.js';

/**
 * A real load balancer (Debian's haproxy) in front of two instances, in the
 * websocket-only setup and with sticky polling: followers and a writer go
 * through it while the instances are restarted one after the other
 * (SIGTERM, start again, then the other). Nothing is lost, nothing arrives
 * twice, and clients see no error beyond reconnecting.
 */
const HAPROXY = '/usr/sbin/haproxy';
const databaseUrl = process.env.DATABASE_URL;
const runnable = databaseUrl && existsSync(HAPROXY);
if (!runnable && process.env.CI === 'true' && databaseUrl) throw new Error(`${HAPROXY} is missing (apt-get install haproxy)`);
const describeLb = runnable ? describe : describe.skip;

interface Follower {
  socket: Socket;
  seqs: number[];
  replyIds: string[];
  problems: string[];
}

describeLb('rolling restart behind HAProxy', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function startHaproxy(ports: number[], sticky: boolean): Promise<string> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'agora-haproxy-'));
    const config = [
      'global', '  maxconn 2000',
      'defaults', '  mode http', '  timeout connect 2s', '  timeout client 60s', '  timeout server 60s', '  timeout tunnel 1h',
      // A refused or dropped connection before any answer is tried on the other server.
      '  retries 3', '  option redispatch', '  retry-on conn-failure empty-response',
      `frontend web`, `  bind 127.0.0.1:${port}`, '  default_backend agora',
      'backend agora',
      `  balance ${sticky ? 'source' : 'roundrobin'}`,
      '  option httpchk GET /api/health/ready',
      '  default-server inter 300ms fall 1 rise 1',
      ...ports.map((p, i) => `  server app${i} 127.0.0.1:${p} check`),
    ].join('\n');
    writeFileSync(join(dir, 'haproxy.cfg'), `${config}\n`);
    const child: ChildProcess = spawn(HAPROXY, ['-db', '-f', join(dir, 'haproxy.cfg')], { stdio: 'ignore' });
    cleanups.push(async () => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });
    const url = `http://127.0.0.1:${port}`;
    await eventually(async () => expect((await fetch(`${url}/api/health/ready`)).status).toBe(200), 10_000);
    return url;
  }

  function follow(url: string, forumId: number, transports: ('polling' | 'websocket')[]): Follower {
    const f: Follower = { socket: io(url, { path: '/socket.io', transports, forceNew: true, reconnectionDelay: 100, reconnectionDelayMax: 500 }), seqs: [], replyIds: [], problems: [] };
    f.socket.on('connect', () => {
      const lastSeq = f.seqs.at(-1);
      f.socket.timeout(10_000).emit('forum.subscribe', { forumId, ...(lastSeq ? { lastSeq } : {}) }, (err: unknown, ack: { error?: unknown; resync?: boolean }) => {
        if (err || ack.error || ack.resync) f.problems.push(`subscribe: ${JSON.stringify(err ?? ack)}`);
      });
    });
    f.socket.on('forum.events', (m: { events: { seq: number; payload: { reply?: { id: string } } }[] }) => {
      for (const e of m.events) {
        f.seqs.push(e.seq);
        if (e.payload.reply) f.replyIds.push(e.payload.reply.id);
      }
    });
    f.socket.on('forum.left', (m: unknown) => f.problems.push(`left: ${JSON.stringify(m)}`));
    cleanups.push(() => void f.socket.close());
    return f;
  }

  for (const [name, transports, sticky] of [
    ['websocket only', ['websocket'], false],
    ['sticky polling', ['polling', 'websocket'], true],
  ] as const) {
    it(`${name}: nothing lost, nothing twice`, async () => {
      buildIfStale();
      const env = { DATABASE_URL: databaseUrl!, SOCKET_TRANSPORTS: transports.join(','), SHUTDOWN_TIMEOUT_MS: '5000' };
      const pair = await startTwoInstances(env);
      const apps: AppProcess[] = [pair.a, pair.b];
      const db: DataSource = pair.db;
      cleanups.push(async () => {
        await Promise.all(apps.map((a) => a.stop()));
        await db.destroy();
      });
      const ports = apps.map((a) => Number(new URL(a.url).port));
      const url = await startHaproxy(ports, sticky);

      const { id: forumId } = await newForum(db);
      const { id: questionId } = await newQuestion(db, forumId);
      const email = `lb-${randomUUID()}@example.org`;
      const password = `pw-${randomUUID()}`;
      await insertAccount(db.manager, { email, password, displayName: 'Writer' });
      const cookie = await sessionCookie(url, { email, password });
      const followers = Array.from({ length: 4 }, () => follow(url, forumId, [...transports]));
      await eventually(async () => expect(followers.every((f) => f.socket.connected)).toBe(true), 10_000);
      await pause(300);

      // The writer: one reply after another through the balancer; a refusal or a cut is retried with the same clientId.
      const posted: string[] = [];
      let writing = true;
      const writer = (async () => {
        while (writing) {
          const clientId = randomUUID();
          for (let attempt = 0; ; attempt++) {
            try {
              const res = await fetch(`${url}/api/questions/${questionId}/replies`, {
                method: 'POST',
                headers: { cookie, 'content-type': 'application/json' },
                body: JSON.stringify({ body: `reply ${posted.length}`, clientId }),
              });
              if (res.status === 201) {
                posted.push(((await res.json()) as { id: string }).id);
                break;
              }
              if (res.status !== 503 && res.status !== 502) throw new Error(`posting got ${res.status}: ${await res.text()}`);
            } catch (error) {
              if (attempt > 50 || String(error).includes('posting got')) throw error;
            }
            await pause(100);
          }
          await pause(50);
        }
      })();

      // Rolling restart: SIGTERM one, start it again on its port, then the other.
      for (const i of [0, 1]) {
        await pause(1_000);
        const exited = apps[i].exited();
        await apps[i].stop('SIGTERM');
        expect(await exited).toBe(0);
        apps[i] = await startAppProcess(env, { port: ports[i] });
        await pause(1_000);
      }
      await pause(1_000);
      writing = false;
      await writer;
      expect(posted.length).toBeGreaterThan(10);

      // Every follower ends with every reply once, in order.
      await eventually(async () => {
        for (const f of followers) expect(new Set(f.replyIds)).toEqual(new Set(posted));
      }, 20_000);
      for (const f of followers) {
        expect(f.problems).toEqual([]);
        expect(f.seqs).toEqual(Array.from({ length: posted.length }, (_, k) => k + 1));
        expect(f.replyIds).toEqual(posted);
      }
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM reply WHERE question_id = $1`, [questionId]);
      expect(n).toBe(posted.length);
    }, 180_000);
  }
});
