/**
 * Size of the web client as shipped: gzipped JS for the first page against
 * the 80 KB budget, and the chunks loaded on demand.
 *
 *   npm run bench:client-size                 # builds the client if needed, prints the table
 *   npm run bench:client-size -- out.md       # also writes it to out.md
 *   npm run bench:client-size -- --no-report  # prints it only (as with no argument)
 */
import { existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, toMarkdown } from '../client/size-budget.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'client', 'dist');
if (!existsSync(join(dist, '.vite', 'manifest.json'))) {
  execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
const report = measure(dist);
const markdown = `${toMarkdown(report)}\nMeasured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:client-size\`.\n`;
console.log(markdown);
// Its one argument is a file to write; `--no-report` (which the other benches take) writes none.
const [out] = process.argv.slice(2).filter((a) => a !== '--no-report');
if (out?.startsWith('-')) {
  console.error(`Unknown option ${out}: bench:client-size takes a file to write the table to, or --no-report.`);
  process.exit(2);
}
if (out) writeFileSync(out, markdown);
if (!report.withinBudget) process.exit(1);
