/** Command-line and environment knobs shared by the bench scripts. */
export interface BenchOptions {
  /** Small sizes and short runs, for checking the scripts (`--smoke`, or its synonym `--quick`); BENCHMARKS.md is left alone. */
  smoke: boolean;
  /** Write the results section into BENCHMARKS.md. */
  report: boolean;
}

export function parseOptions(argv = process.argv.slice(2)): BenchOptions {
  const unknown = argv.filter((a) => !['--smoke', '--quick', '--no-report'].includes(a));
  if (unknown.length) {
    console.error(`Unknown argument(s): ${unknown.join(' ')}. Known: --smoke or --quick (small, short; no report), --no-report.`);
    process.exit(2);
  }
  const smoke = argv.includes('--smoke') || argv.includes('--quick');
  return { smoke, report: !smoke && !argv.includes('--no-report') };
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`${name} must be a positive integer (got "${raw}").`);
    process.exit(2);
  }
  return value;
}

export function envIntList(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) {
    console.error(`${name} must be a comma-separated list of positive integers (got "${raw}").`);
    process.exit(2);
  }
  return values;
}

/** The command line as the reader would type it to rerun this benchmark. */
export function commandLine(npmScript: string, envNames: string[]): string {
  const env = envNames.filter((n) => process.env[n]).map((n) => `${n}=${process.env[n]}`);
  const args = process.argv.slice(2);
  return `DATABASE_URL=postgres://… ${env.join(' ')}${env.length ? ' ' : ''}npm run ${npmScript}${args.length ? ` -- ${args.join(' ')}` : ''}`;
}
