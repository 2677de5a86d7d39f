/**
 * Search benchmark: 1,000,000 replies across English, Spanish and French;
 * p50 and p99 of one-word and three-word searches through the HTTP API
 * (GET /api/search?kind=reply), without and with filters (forum + language),
 * beside the same question in plain SQL (same tsquery, the newest matches ranked by the
 * app's score, LIMIT, no access rules or snippets) and beside ranking every match, on the
 * same data in the same run; the app's results are checked against both first. And what
 * the search index (generated tsvector + GIN) costs reply creation: POST
 * /api/questions/:id/replies through two app processes on two fresh databases, one
 * without them, interleaved; and, as context, the bare INSERT into two empty copies of reply.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:search
 *   ... npm run bench:search -- --smoke      (20k replies, few repetitions, no report)
 *
 * Knobs: BENCH_REPLIES (default 1000000), BENCH_SEARCH_REPS (default 200),
 * BENCH_WARMUP (default 20), BENCH_INSERTS (default 2000 per table),
 * BENCH_SKIP_REFERENCE=1 (don't time the every-match reference rows; for quick reruns),
 * BENCH_KEEP_DB (set: keep the database afterwards, to EXPLAIN on it),
 * BENCH_REUSE_DB=agora_bench_<ts> (measure on a database kept by an earlier run: its pending
 * migrations are applied and the load is skipped; it is kept again afterwards).
 */
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { startApp, type AppProcess } from './lib/app-process.js';
import { createBenchDatabase, openBenchDatabase, requireServerUrl, type BenchDatabase } from './lib/database.js';
import { bench, newAccounts, newApiTokens, newForum, newQuestions, pathSegment } from '../test/support/fixtures.js';
import { HttpError } from './lib/http.js';
import { describeMachine, machineLines } from './lib/machine.js';
import { commandLine, envInt, parseOptions } from './lib/options.js';
import { publishSection, table } from './lib/report.js';
import { RANKED_CANDIDATES, scoreSql } from '../src/search/search-sql.js';
import { ms, ratio, seededRandom, summarise, timed, type Summary } from './lib/stats.js';

type Lang = 'en' | 'es' | 'fr';
const LANGS: Lang[] = ['en', 'es', 'fr'];
const FORUMS = 20;
const QUESTIONS_PER_FORUM = 10;
const VOCABULARY = 3000;
const BATCH = 5000;
const THREE_YEARS_MS = 3 * 365 * 86_400_000;

/** Real words per language (accented, plural and singular forms), placed among synthetic ones at mid frequency. */
const REAL: Record<Lang, string[]> = {
  en: ['cycling', 'lanes', 'mobility', 'council', 'digital', 'housing', 'transport', 'budget', 'citizens', 'procurement', 'sensors', 'climate', 'neighbourhood', 'libraries', 'platform', 'heating', 'schools', 'parking', 'emissions', 'participation'],
  es: ['ciclovías', 'movilidad', 'alcaldía', 'vivienda', 'transporte', 'presupuesto', 'ciudadanía', 'contratación', 'sensores', 'clima', 'barrio', 'bibliotecas', 'plataforma', 'calefacción', 'escuelas', 'estacionamiento', 'emisiones', 'participación', 'semáforos', 'energía'],
  fr: ['mobilités', 'pistes', 'cyclables', 'mairie', 'logement', 'transports', 'budget', 'citoyens', 'marchés', 'capteurs', 'climat', 'quartier', 'bibliothèques', 'plateforme', 'chauffage', 'écoles', 'stationnement', 'émissions', 'participation', 'énergie'],
};
/** Query forms: singular / unaccented where the corpus has plural / accented, as readers type. */
const ONE_WORD: string[] = ['cycling', 'ciclovia', 'mobilite', 'vivienda', 'logement', 'emissions', 'energia', 'quartier', 'presupuesto', 'housing'];
const THREE_WORDS: string[] = ['cycling lanes council', 'ciclovia movilidad barrio', 'mobilite pistes cyclables', 'vivienda transporte clima', 'logement quartier chauffage', 'budget citizens platform', 'semaforo energia emision', 'ecole bibliotheque climat', 'parking emissions sensors', 'plataforma escuela sensor'];

const SYLLABLES: Record<Lang, string[]> = {
  en: ['ber', 'ton', 'ing', 'ster', 'wal', 'ford', 'ley', 'ish', 'mond', 'er', 'ham', 'wick'],
  es: ['ra', 'dor', 'ción', 'mien', 'to', 'bla', 'ca', 'ño', 'les', 'tas', 'gui', 'lla'],
  fr: ['eau', 'ière', 'ment', 'ois', 'eur', 'é', 'ette', 'mon', 'tré', 'ville', 'gné', 'ais'],
};

/** Each language's vocabulary, most frequent first: synthetic words with the real ones at ranks 20 to 80 (common topic words). */
function vocabulary(lang: Lang, rand: () => number): string[] {
  const words = new Set<string>();
  while (words.size < VOCABULARY - REAL[lang].length) {
    const n = 2 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += SYLLABLES[lang][Math.floor(rand() * SYLLABLES[lang].length)];
    words.add(w);
  }
  const list = [...words];
  REAL[lang].forEach((w, i) => list.splice(20 + i * 3, 0, w));
  return list;
}

/** Zipf-like sampler over ranks (weight 1/(rank+10)): a few words everywhere, most rare, as in real text. */
function zipf(n: number, rand: () => number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < n; r++) cumulative.push((total += 1 / (r + 10)));
  return () => {
    const x = rand() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const TSQUERY = `(websearch_to_tsquery('public.agora_english', $1) || websearch_to_tsquery('public.agora_spanish', $1)
  || websearch_to_tsquery('public.agora_french', $1) || websearch_to_tsquery('public.agora_simple', $1))`;
/** Plain SQL for the app's question: the newest RANKED_CANDIDATES matches, ranked by the app's score (relevance with recency), top 21. */
const boundedSql = (filters: string) => `WITH query AS (SELECT ${TSQUERY} AS tsq)
  SELECT c.id::text AS id FROM query, (SELECT r.id, r.created_at, r.search_vector FROM reply r
     WHERE r.search_vector @@ ${TSQUERY}${filters} ORDER BY r.id DESC LIMIT ${RANKED_CANDIDATES}) c
  ORDER BY ${scoreSql('c.search_vector', 'c.created_at')} DESC, c.id DESC LIMIT 21`;
/** Plain SQL ranking every match by the same score: what the app answered before the bound, and the reference for result quality. */
const fullSql = (filters: string) => `WITH query AS (SELECT ${TSQUERY} AS tsq)
  SELECT r.id::text AS id FROM query, reply r WHERE r.search_vector @@ query.tsq${filters}
  ORDER BY ${scoreSql('r.search_vector', 'r.created_at')} DESC, r.id DESC LIMIT 21`;
const FILTERS = ' AND r.forum_id = $2 AND r.language = $3';
const RAW_SQL = boundedSql('');
const RAW_FILTERED_SQL = boundedSql(FILTERS);
const FULL_SQL = fullSql('');
const FULL_FILTERED_SQL = fullSql(FILTERS);
const COUNT_SQL = `WITH query AS (SELECT ${TSQUERY} AS tsq) SELECT count(*)::int AS n FROM query, reply r WHERE r.search_vector @@ query.tsq`;
const insertSql = (table: string) => `INSERT INTO ${table} (id, question_id, forum_id, path, depth, author_id, body_source, body_html, language)
  VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8)`;

interface Row { query: string; filters: string; route: string; summary: Summary; base?: Summary }

async function main() {
  const opts = parseOptions();
  // The 1-minute load average at each stage: the machine is shared, and the report says how busy it was.
  const loads: { at: string; load: number }[] = [];
  const noteLoad = (at: string) => loads.push({ at, load: loadavg()[0]! });
  const serverUrl = requireServerUrl();
  const total = opts.smoke ? 20_000 : envInt('BENCH_REPLIES', 1_000_000);
  const reps = opts.smoke ? 20 : envInt('BENCH_SEARCH_REPS', 200);
  const warmup = opts.smoke ? 3 : envInt('BENCH_WARMUP', 20);
  const inserts = opts.smoke ? 200 : envInt('BENCH_INSERTS', 2000);
  // For quick reruns while tuning: skip timing the every-match reference (the slowest query here); results are still checked against it.
  const skipReference = process.env.BENCH_SKIP_REFERENCE === '1';
  const rand = seededRandom(15);
  let db: BenchDatabase | undefined;
  let app: AppProcess | undefined;
  try {
    const reuse = process.env.BENCH_REUSE_DB;
    db = reuse ? await openBenchDatabase(serverUrl, reuse) : await createBenchDatabase(serverUrl);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const machine = await describeMachine(client);
    noteLoad('start');
    const forums: { forumId: number; questions: number[] }[] = [];
    let authors: string[];
    const vocab = Object.fromEntries(LANGS.map((l) => [l, vocabulary(l, rand)])) as Record<Lang, string[]>;
    const pick = zipf(VOCABULARY, rand);
    const body = (lang: Lang) => {
      const n = 12 + Math.floor(rand() * 30);
      const words: string[] = [];
      for (let i = 0; i < n; i++) words.push(vocab[lang][pick()]!);
      return `${words.join(' ')}.`;
    };
    let load: { total: number; load_s: number; index_s: number };
    if (reuse) {
      // A database kept by an earlier run (BENCH_KEEP_DB): its fixtures and the load's figures, as recorded then.
      const meta = await client.query<{ total: number; load_s: number; index_s: number }>(`SELECT total, load_s, index_s FROM bench_search_load`).catch(() => ({ rows: [] }));
      if (!meta.rows[0]) throw new Error(`${reuse} has no completed search load (table bench_search_load): run once with BENCH_KEEP_DB=1 and no BENCH_REUSE_DB`);
      load = meta.rows[0];
      if (load.total !== total) throw new Error(`${reuse} holds ${load.total} replies, not ${total}: set BENCH_REPLIES=${load.total} or load a new database`);
      const f = await client.query<{ id: number; questions: number[] }>(
        `SELECT f.id, array_agg(q.id ORDER BY q.position) AS questions FROM forum f JOIN question q ON q.forum_id = f.id
          WHERE f.title LIKE 'Benchmark forum (search-%' GROUP BY f.id ORDER BY f.id`);
      forums.push(...f.rows.map((r) => ({ forumId: r.id, questions: r.questions })));
      authors = (await client.query<{ id: string }>(`SELECT id FROM account WHERE email LIKE 'bench-search-%' ORDER BY split_part(split_part(email, '-', 3), '@', 1)::int`)).rows.map((r) => r.id);
      console.log(`reusing ${reuse}: ${total} replies loaded earlier, ${forums.length} forums, ${authors.length} authors`);
    } else {
      for (let f = 0; f < FORUMS; f++) {
        const { id: forumId } = await newForum(client, bench.forum(`search-${f}`));
        forums.push({ forumId, questions: await newQuestions(client, forumId, Array.from({ length: QUESTIONS_PER_FORUM }, (_, i) => `Question ${i}`), { counterShards: true }) });
      }
      authors = await newAccounts(client, 300, bench.accounts('search'));

      // Load without the GIN index (built once at the end, as a restore would); the generated column is computed per row.
      console.log(`loading ${total} replies…`);
      const loadStart = Date.now();
      const indexSql = (await client.query<{ def: string }>(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'reply_search_idx'`)).rows[0]!.def;
      await client.query('DROP INDEX reply_search_idx');
      for (let done = 0; done < total; done += BATCH) {
        const n = Math.min(BATCH, total - done);
        const { rows } = await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id FROM generate_series(1, $1::int)`, [n]);
        const cols = { id: [] as string[], q: [] as number[], f: [] as number[], path: [] as string[], a: [] as string[], src: [] as string[], lang: [] as string[], at: [] as string[] };
        rows.forEach(({ id }, i) => {
          const forum = forums[(done + i) % FORUMS]!;
          const lang = LANGS[Math.floor(rand() * 3)]!;
          cols.id.push(id); cols.q.push(forum.questions[Math.floor(rand() * QUESTIONS_PER_FORUM)]!); cols.f.push(forum.forumId);
          cols.path.push(pathSegment(BigInt(id))); cols.a.push(authors[Math.floor(rand() * authors.length)]!);
          cols.src.push(body(lang)); cols.lang.push(lang);
          // Dated in insertion order, as a live forum's replies are (ids and created_at rise together).
          cols.at.push(new Date(loadStart - THREE_YEARS_MS + ((done + i + rand()) / total) * THREE_YEARS_MS).toISOString());
        });
        await client.query(
          `INSERT INTO reply (id, question_id, forum_id, path, depth, author_id, body_source, body_html, language, created_at)
           SELECT id, q, f, path, 1, a, src, '<p>' || src || '</p>', lang, at
             FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::timestamptz[]) AS t(id, q, f, path, a, src, lang, at)`,
          [cols.id, cols.q, cols.f, cols.path, cols.a, cols.src, cols.lang, cols.at],
        );
        if ((done / BATCH) % 20 === 0) console.log(`  ${done + n} replies`);
      }
      await client.query(`SET maintenance_work_mem = '256MB'`);
      const indexStart = Date.now();
      // The migrations' definition of the index (its storage parameters included), rebuilt after the load.
      await client.query(indexSql);
      const indexSeconds = (Date.now() - indexStart) / 1000;
      // Every table, as autovacuum would have by now: without forum statistics the planner guesses 2 of the 20 forums public and misjudges a common word's matches.
      await client.query('VACUUM ANALYZE');
      load = { total, load_s: (Date.now() - loadStart) / 1000, index_s: indexSeconds };
      await client.query(`CREATE TABLE bench_search_load AS SELECT $1::int AS total, $2::float8 AS load_s, $3::float8 AS index_s`, [load.total, load.load_s, load.index_s]);
    }
    const loadSeconds = load.load_s;
    const indexSeconds = load.index_s;
    const size = (await client.query<{ s: string }>(`SELECT pg_size_pretty(pg_relation_size('reply_search_idx')) AS s`)).rows[0]!.s;
    console.log(`loaded in ${loadSeconds.toFixed(0)} s (GIN index ${indexSeconds.toFixed(0)} s, ${size})`);

    const matches = async (qs: string[]) => {
      let sum = 0;
      for (const q of qs) sum += (await client.query<{ n: number }>(COUNT_SQL, [q])).rows[0]!.n;
      return Math.round(sum / qs.length);
    };
    const counts = { one: await matches(ONE_WORD), three: await matches(THREE_WORDS) };

    app = await startApp(db.url);
    const base = app.url;
    const httpIds = async (q: string, filtered: boolean, i: number): Promise<string[]> => {
      const forum = forums[i % FORUMS]!.forumId;
      const params = new URLSearchParams({ q, kind: 'reply', ...(filtered ? { forum: String(forum), language: LANGS[i % 3]! } : {}) });
      const res = await fetch(`${base}/api/search?${params}`);
      const text = await res.text();
      if (res.status !== 200) throw new HttpError(res.status, text, 'search');
      return (JSON.parse(text) as { groups: { items: { id: string }[] }[] }).groups[0]!.items.map((h) => h.id);
    };
    const sqlIds = async (bounded: boolean, q: string, filtered: boolean, i: number): Promise<string[]> => {
      const { rows } = filtered
        ? await client.query<{ id: string }>(bounded ? RAW_FILTERED_SQL : FULL_FILTERED_SQL, [q, forums[i % FORUMS]!.forumId, LANGS[i % 3]])
        : await client.query<{ id: string }>(bounded ? RAW_SQL : FULL_SQL, [q]);
      return rows.map((r) => r.id);
    };

    // Interleaved, so load on the shared machine hits the app and the raw query alike.
    const rows: Row[] = [];
    const checks: string[] = [];
    for (const [label, qs] of [['one word', ONE_WORD], ['three words', THREE_WORDS]] as const) {
      for (const filtered of [false, true]) {
        const filters = filtered ? 'forum + language' : 'none';
        noteLoad(`${label}, filters ${filters}`);
        // Results first: the app's page is the bounded SQL's (same rows, same order), and how much of the full ranking's top 20 it keeps.
        let same = 0;
        let kept = 0;
        let expected = 0;
        for (let i = 0; i < qs.length; i++) {
          const [app20, bounded, full] = [await httpIds(qs[i]!, filtered, i), (await sqlIds(true, qs[i]!, filtered, i)).slice(0, 20), (await sqlIds(false, qs[i]!, filtered, i)).slice(0, 20)];
          if (app20.join() === bounded.join()) same++;
          kept += full.filter((id) => app20.includes(id)).length;
          expected += full.length;
        }
        checks.push(`${label}, filters ${filters}: the app's 20 equal the bounded SQL's for ${same}/${qs.length} queries; they hold ${kept}/${expected} of the full ranking's top 20`);
        console.log(checks.at(-1));
        const samples = { http: [] as number[], raw: [] as number[], full: [] as number[] };
        // HTTP and the raw query interleaved, which goes first alternating; the every-match reference in a pass of its
        // own afterwards: it reads every match's page, evicting the recent pages from shared_buffers, so whichever
        // route ran next after it paid for that (until 2026-12-02 always HTTP, which inflated the ratios).
        for (let i = 0; i < warmup + reps; i++) {
          const q = qs[i % qs.length]!;
          const both = [['http', () => httpIds(q, filtered, i)], ['raw', () => sqlIds(true, q, filtered, i)]] as const;
          for (const [route, run] of i % 2 ? [both[1], both[0]] : both) {
            const t = await timed(run);
            if (i >= warmup) samples[route].push(t);
          }
        }
        for (let i = 0; !skipReference && i < warmup + reps; i++) {
          const t = await timed(() => sqlIds(false, qs[i % qs.length]!, filtered, i));
          if (i >= warmup) samples.full.push(t);
        }
        const rawSummary = summarise(samples.raw);
        rows.push({ query: label, filters, route: 'raw SQL `@@`, newest matches ranked', summary: rawSummary });
        rows.push({ query: label, filters, route: 'HTTP GET /api/search', summary: summarise(samples.http), base: rawSummary });
        if (!skipReference) rows.push({ query: label, filters, route: 'raw SQL `@@`, every match ranked (reference)', summary: summarise(samples.full), base: rawSummary });
        console.log(`${label}, filters ${filters}: http p50 ${ms(summarise(samples.http).median)} p99 ${ms(summarise(samples.http).p99)}; raw p50 ${ms(rawSummary.median)} p99 ${ms(rawSummary.p99)}; full p50 ${ms(summarise(samples.full).median)} p99 ${ms(summarise(samples.full).p99)}`);
      }
    }
    await app.stop();
    app = undefined;

    // The index's cost on a reply insert: the app's INSERT, autocommitted, into two empty copies of reply
    // (same columns, defaults, checks and indexes), one without the generated tsvector and its GIN index;
    // one insert into each per round, the order alternating, so the machine's drift hits both alike.
    await client.query('DROP TABLE IF EXISTS reply_with_search, reply_without_search');
    await client.query('CREATE TABLE reply_with_search (LIKE reply INCLUDING ALL)');
    await client.query('CREATE TABLE reply_without_search (LIKE reply INCLUDING ALL)');
    await client.query('ALTER TABLE reply_without_search DROP COLUMN search_vector');
    const insertSamples = { with: [] as number[], without: [] as number[] };
    for (let i = 0; i < inserts; i++) {
      const forum = forums[i % FORUMS]!;
      const lang = LANGS[i % 3]!;
      const src = body(lang);
      for (const table of i % 2 ? ['without', 'with'] as const : ['with', 'without'] as const) {
        const { rows: [{ id }] } = await client.query<{ id: string }>(`SELECT nextval(pg_get_serial_sequence('reply', 'id'))::text AS id`);
        insertSamples[table].push(await timed(() => client.query(insertSql(`reply_${table}_search`), [id, forum.questions[0], forum.forumId, pathSegment(BigInt(id)), authors[i % authors.length], src, `<p>${src}</p>`, lang])));
      }
    }
    const withIndex = summarise(insertSamples.with);
    const withoutIndex = summarise(insertSamples.without);
    await client.end();

    // The same cost on the real reply-creation path (POST /api/questions/:id/replies: access, language detection,
    // markdown, the transaction with its counter shard and event, JSON): two app processes, each on a fresh database
    // with the app's schema, one of them without reply's search_vector and GIN index; one reply to each per round,
    // the order alternating.
    noteLoad('reply creation');
    const creation = await measureCreation(serverUrl, inserts, warmup, (i) => body(LANGS[i % 3]!));
    console.log(`reply creation: with index p50 ${ms(creation.with.median)} p99 ${ms(creation.with.p99)}; without p50 ${ms(creation.without.median)} p99 ${ms(creation.without.p99)}; bare insert with ${ms(withIndex.median)} without ${ms(withoutIndex.median)}`);

    noteLoad('end');
    const mdRows = rows.map((r) => [r.query, r.filters, r.route, ms(r.summary.median), ms(r.summary.p99), r.base ? ratio(r.summary.median, r.base.median) : '1', r.base ? ratio(r.summary.p99, r.base.p99) : '1']);
    const markdown = [
      '## Search (issue 15)',
      '',
      `Command: \`${commandLine('bench:search', ['BENCH_REPLIES', 'BENCH_SEARCH_REPS', 'BENCH_WARMUP', 'BENCH_INSERTS'])}\``,
      '',
      ...machineLines(machine),
      `- Machine load (1-minute load average on ${cpus().length} cores, from \`os.loadavg()\`): ${loads.map((l) => `${l.at} ${l.load.toFixed(2)}`).join('; ')}. The machine is shared: what else ran is noted below the section.`,
      `- Data: ${total.toLocaleString('en')} replies${total < 1_000_000 ? ' (reduced from the default 1,000,000 because of the shared machine)' : ''}, a third each in English, Spanish and French, 12–41 words drawn Zipf-like from a ${VOCABULARY}-word vocabulary per language, in ${FORUMS} public forums, dated over three years in id order (as a live forum fills). Load ${loadSeconds.toFixed(0)} s (GIN build ${indexSeconds.toFixed(0)} s; index ${size})${reuse ? `, figures of the run that loaded ${reuse} (this run reused it: BENCH_REUSE_DB)` : ''}.`,
      `- Queries: ten of each kind, in the forms readers type (singular, without accents: \`ciclovia\` finds \`ciclovías\`); a one-word query matches ${counts.one.toLocaleString('en')} replies on average, a three-word one ${counts.three.toLocaleString('en')}. ${reps} timed runs per case after ${warmup} warm-up, HTTP and raw SQL interleaved (which goes first alternating), the every-match reference in its own pass afterwards.`,
      `- Raw SQL (the ratios' base): the app's question in plain SQL over \`pg\`: the same tsquery (four configurations OR-ed), \`@@\`, the newest ${RANKED_CANDIDATES} matches by id, ranked by the app's score (\`ln(ts_rank) + age\`), LIMIT 21; no access rules, joins or snippets. The reference row ranks every match by the same score (what the app did before the bound). HTTP: the app anonymously, \`kind=reply\`, 20 results with highlighted snippets and authors, through the access rules.`,
      `- Results, checked before timing: ${checks.join('; ')}.`,
      '',
      table(['query', 'filters', 'route', 'median ms', 'p99 ms', 'median vs raw', 'p99 vs raw'], mdRows, ['l', 'l', 'l', 'r', 'r', 'r', 'r']),
      '',
      `Index cost on reply creation, the goal's measure (${creation.with.n} replies through \`POST /api/questions/:id/replies\` into each of two fresh databases, one without reply's generated tsvector and GIN index, two app processes, interleaved): with the index median ${ms(creation.with.median)} ms, p99 ${ms(creation.with.p99)} ms; without median ${ms(creation.without.median)} ms, p99 ${ms(creation.without.p99)} ms: **${ratio(creation.with.median, creation.without.median)} at the median, ${ratio(creation.with.p99, creation.without.p99)} at p99** (goal: under 1.10x).`,
      '',
      `For context, the bare INSERT alone (the app's INSERT statement, autocommitted, ${inserts} into each of two empty copies of \`reply\`, interleaved; no transaction, counters, events or HTTP): with the generated tsvector and its GIN index median ${ms(withIndex.median)} ms, p99 ${ms(withIndex.p99)} ms; without them median ${ms(withoutIndex.median)} ms, p99 ${ms(withoutIndex.p99)} ms: ${ratio(withIndex.median, withoutIndex.median)} at the median (+${ms(withIndex.median - withoutIndex.median)} ms), i.e. ${((withIndex.median - withoutIndex.median) / creation.without.median * 100).toFixed(1)}% of a whole reply creation's median.`,
    ].join('\n');
    publishSection('search', markdown, opts.report);
  } finally {
    await app?.stop().catch(() => undefined);
    if (process.env.BENCH_KEEP_DB || process.env.BENCH_REUSE_DB) console.log(`kept database ${db?.name}: rerun on it with BENCH_REUSE_DB=${db?.name}`);
    else await db?.drop().catch((e) => console.error(`could not drop ${db?.name}: ${e}`));
  }
}

/** Median and p99 of reply creation through the API, with and without the search index, interleaved (see the call). */
async function measureCreation(serverUrl: string, n: number, warmup: number, text: (i: number) => string): Promise<{ with: Summary; without: Summary }> {
  const arms: { name: 'with' | 'without'; db: BenchDatabase; app?: AppProcess; token: string; questionId: number; samples: number[] }[] = [];
  try {
    for (const name of ['with', 'without'] as const) {
      const db = await createBenchDatabase(serverUrl, `_${name}`);
      const arm: (typeof arms)[number] = { name, db, token: '', questionId: 0, samples: [] };
      arms.push(arm);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        if (name === 'without') await c.query('DROP INDEX reply_search_idx; ALTER TABLE reply DROP COLUMN search_vector');
        const { id: forumId } = await newForum(c, bench.forum(`create-${name}`));
        [arm.questionId] = await newQuestions(c, forumId, ['Where replies are created'], { counterShards: true });
        const [account] = await newAccounts(c, 1, bench.accounts(`create-${name}`));
        [arm.token] = await newApiTokens(c, [account!], 'bench');
      } finally {
        await c.end();
      }
      arm.app = await startApp(db.url);
    }
    for (let i = 0; i < warmup + n; i++) {
      const body = text(i);
      for (const arm of i % 2 ? [arms[1]!, arms[0]!] : [arms[0]!, arms[1]!]) {
        const t = await timed(async () => {
          const res = await fetch(`${arm.app!.url}/api/questions/${arm.questionId}/replies`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${arm.token}` },
            body: JSON.stringify({ body }),
          });
          const out = await res.text();
          if (res.status !== 201) throw new HttpError(res.status, out, 'POST /api/questions/:id/replies');
        });
        if (i >= warmup) arm.samples.push(t);
      }
    }
    return { with: summarise(arms[0]!.samples), without: summarise(arms[1]!.samples) };
  } finally {
    for (const arm of arms) {
      await arm.app?.stop().catch(() => undefined);
      await arm.db.drop().catch((e) => console.error(`could not drop ${arm.db.name}: ${e}`));
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
