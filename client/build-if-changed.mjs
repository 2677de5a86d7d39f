// `npm start` (prestart): build the client only when a file it is built from
// is newer than the last build, so a second start doesn't wait for Vite.
// `npm run build:client` always builds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const client = dirname(fileURLToPath(import.meta.url));
const root = dirname(client);
// Vite writes the manifest last; its time is the build's.
const stamp = join(client, 'dist/.vite/manifest.json');

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const inputs = ['src', 'index.html', 'vite.config.ts', 'size-budget.ts', 'tsconfig.json'].map((p) => join(client, p));
// The protocol the client compiles against lives with the server.
inputs.push(join(root, 'package-lock.json'), join(root, 'src', 'protocol'));
const built = newest(stamp);
if (built > Math.max(...inputs.map(newest))) {
  console.log('Web client: up to date (client/dist is newer than its sources).');
} else {
  console.log(built ? 'Web client: sources changed, rebuilding...' : 'Web client: building (first start, about a minute on a slow machine)...');
  execFileSync('npm', ['run', '--silent', 'build:client'], { cwd: root, stdio: 'inherit' });
}
