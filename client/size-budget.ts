import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/**
 * Measures what the built client ships: the JS (and CSS) a browser loads for
 * the first page (the entry chunk and everything it imports statically), and
 * each lazily loaded chunk. Reads Vite's manifest in client/dist/.vite/.
 * Used by the build (a Vite plugin in vite.config.ts), bench/client-size.ts
 * and the browser tests.
 */
export const FIRST_PAGE_BUDGET_BYTES = 80 * 1024;

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface SizeReport {
  /** JS for the first page: entry + static imports. */
  firstPageJs: FileSize[];
  firstPageJsGzip: number;
  firstPageCss: FileSize[];
  /** Chunks loaded on demand, keyed by the module that starts them. */
  lazy: { name: string; files: FileSize[]; gzip: number }[];
  budget: number;
  withinBudget: boolean;
}

interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export function measure(dist: string): SizeReport {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, ManifestChunk>;
  const size = (file: string): FileSize => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
  };
  /** A chunk and its static imports, each once. */
  const closure = (key: string, seen: Set<string>): string[] => {
    if (seen.has(key)) return [];
    seen.add(key);
    const chunk = manifest[key];
    return [key, ...(chunk.imports ?? []).flatMap((k) => closure(k, seen))];
  };
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
  if (!entryKey) throw new Error('No entry chunk in the Vite manifest');
  const firstSeen = new Set<string>();
  const first = closure(entryKey, firstSeen);
  const firstPageJs = first.map((k) => size(manifest[k].file));
  const firstPageCss = [...new Set(first.flatMap((k) => manifest[k].css ?? []))].map(size);
  const lazy = Object.keys(manifest)
    .filter((k) => manifest[k].isDynamicEntry)
    .map((k) => {
      const files = closure(k, new Set(firstSeen)).map((c) => size(manifest[c].file));
      return { name: manifest[k].name ?? k, files, gzip: files.reduce((n, f) => n + f.gzip, 0) };
    });
  const firstPageJsGzip = firstPageJs.reduce((n, f) => n + f.gzip, 0);
  return {
    firstPageJs,
    firstPageJsGzip,
    firstPageCss,
    lazy,
    budget: FIRST_PAGE_BUDGET_BYTES,
    withinBudget: firstPageJsGzip <= FIRST_PAGE_BUDGET_BYTES,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export function toMarkdown(r: SizeReport): string {
  const row = (f: FileSize) => `| \`${f.file}\` | ${kb(f.raw)} | ${kb(f.gzip)} | ${kb(f.brotli)} |`;
  const lines = [
    '## Web client size',
    '',
    `JS for the first page (entry chunk and its static imports), gzip -9: **${kb(r.firstPageJsGzip)}** of a ${kb(r.budget)} budget (${r.withinBudget ? 'within' : 'OVER'} budget).`,
    '',
    '| First page | raw | gzip | brotli |',
    '| --- | --- | --- | --- |',
    ...r.firstPageJs.map(row),
    ...r.firstPageCss.map(row),
    '',
    'Loaded on demand (not part of the first page):',
    '',
    '| Chunk | gzip | loaded when |',
    '| --- | --- | --- |',
    ...r.lazy.map((l) => `| ${l.name} (${l.files.map((f) => `\`${f.file}\``).join(', ')}) | ${kb(l.gzip)} | ${WHEN[l.name] ?? 'on demand'} |`),
    '',
  ];
  return lines.join('\n');
}

const WHEN: Record<string, string> = {
  live: 'a forum or thread page opens (Socket.IO client)',
  markdown: 'someone opens the reply preview (markdown-it + DOMPurify)',
};
