import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const HEADER = `# Benchmarks

Measured by the scripts in \`bench/\` against a real PostgreSQL server (\`DATABASE_URL\`).
Each script creates its own fresh database (\`agora_bench_<timestamp>\`), applies the
app's migrations, starts the built app (\`node dist/src/main.js\`) on a free loopback
port for the HTTP parts, and drops the database at the end. Each section below is
rewritten by the script that owns it; the rest of this file is left alone.

Times are in milliseconds; "median" and "p99" are over many repetitions after a
warm-up, never single runs.
`;

/** Replaces (or appends) the section between this benchmark's markers in BENCHMARKS.md. */
export function writeSection(id: string, markdown: string, file = resolve(process.cwd(), 'BENCHMARKS.md')): string {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from >= 0 && to > from) {
    text = text.slice(0, from) + block + text.slice(to + end.length);
  } else {
    text = `${text.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
  return file;
}

/** Prints a benchmark's section, and writes it into BENCHMARKS.md unless this is a smoke/quick or --no-report run. */
export function publishSection(id: string, markdown: string, write: boolean): void {
  console.log(`\n${markdown}\n`);
  if (write) console.log(`wrote ${writeSection(id, markdown)}`);
  else console.log('(smoke/quick or --no-report run: BENCHMARKS.md left alone)');
}

/** A markdown table from a header row and rows of cells. */
export function table(head: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const sep = head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
