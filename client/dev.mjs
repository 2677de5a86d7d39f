// `npm run dev`: the server compiled in watch mode (tsc --watch), the app
// restarted when its output changes (node --watch), and the Vite dev server
// (with hot reload) side by side. Open the Vite address; it proxies /api and
// /socket.io to the app. `--api-only` (npm run start:dev) leaves Vite out.
// Ctrl-C stops them all.
import { execFileSync, spawn } from 'node:child_process';

const port = process.env.PORT ?? '3000';
const env = { ...process.env, PORT: port, AGORA_API: process.env.AGORA_API ?? `http://127.0.0.1:${port}` };
execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { stdio: 'inherit' });
const children = [
  ['tsc', 'npx', ['tsc', '-b', 'tsconfig.build.json', '--watch', '--preserveWatchOutput']],
  ['api', process.execPath, ['--watch', 'dist/src/main.js']],
  ['web', 'npx', ['vite', '--config', 'client/vite.config.ts']],
].filter(([name]) => name !== 'web' || !process.argv.includes('--api-only')).map(([name, cmd, args]) => {
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(`[${name}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code) => {
    console.log(`[${name}] exited (${code ?? 'signal'}); stopping the other side.`);
    stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
