import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from './error-codes.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && e.name !== 'error-codes.ts' ? [join(dir, e.name)] : [],
  );
}

describe('error codes', () => {
  it('names each code once, in one feature', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('lists only codes the server answers with', () => {
    const text = sources(join(process.cwd(), 'src')).map((path) => readFileSync(path, 'utf8')).join('\n');
    expect(ERROR_CODES.filter((code) => code !== 'error' && !text.includes(`'${code}'`))).toEqual([]);
  });
});
