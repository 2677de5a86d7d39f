import { execFileSync } from 'node:child_process';
import os from 'node:os';
import type pg from 'pg';

/** What the numbers were measured on, for the report. */
export interface Machine {
  cores: number;
  memory: string;
  cpu: string;
  node: string;
  postgres: string;
  date: string;
}

export async function describeMachine(db: pg.ClientBase): Promise<Machine> {
  let cores = os.availableParallelism?.() ?? os.cpus().length;
  try {
    cores = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || cores;
  } catch {
    // nproc missing: keep what Node sees.
  }
  const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
  const settings = await db.query<{ name: string; setting: string; unit: string | null }>(
    `SELECT name, setting, unit FROM pg_settings WHERE name IN ('shared_buffers', 'synchronous_commit', 'max_connections') ORDER BY name`,
  );
  const pgSettings = settings.rows
    .map((s) => (s.name === 'shared_buffers' ? `shared_buffers=${(Number(s.setting) * 8) / 1024}MB` : `${s.name}=${s.setting}`))
    .join(', ');
  return {
    cores,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    cpu: os.cpus()[0]?.model?.trim() || 'unknown',
    node: process.version,
    postgres: `${rows[0].server_version} (${pgSettings})`,
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  };
}

export function machineLines(m: Machine): string[] {
  return [
    `- Machine: ${m.cores} cores (\`nproc\`), ${m.memory} RAM, CPU: ${m.cpu}`,
    `- Node ${m.node}; PostgreSQL ${m.postgres}, on loopback`,
    `- Date: ${m.date}`,
  ];
}
