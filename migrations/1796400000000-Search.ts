import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search (issue 15). Each searchable row carries a STORED generated
 * `search_vector`, computed by PostgreSQL from the row itself on every INSERT
 * and UPDATE, so no writer can forget to keep it current and an edit is
 * searchable in the same transaction. (A separate search table kept by the
 * writers would need code in every write path: create, edit, move, merge,
 * the demo data, the hand-over.) Hide, delete, move and merge need no index
 * change: state, question and forum are read from the row at query time.
 *
 * Each language has its own configuration with `unaccent` before the
 * stemmer, so "ciclovias" and "ciclovías" meet at one lexeme; `agora_simple`
 * (no stemming, accents folded) is for text of unknown language. A reply's
 * `language` is detected by the writer (tinyld), with the author's language as
 * fallback; sessions use the languages they are held in; forums, questions
 * and live questions record no language, so their short texts are indexed
 * under all three.
 */
export class Search1796400000000 implements MigrationInterface {
  name = 'Search1796400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    for (const [name, stemmer] of [['english', 'english_stem'], ['spanish', 'spanish_stem'], ['french', 'french_stem'], ['simple', 'simple']]) {
      await q.query(`CREATE TEXT SEARCH CONFIGURATION public.agora_${name} (COPY = pg_catalog.${name})`);
      await q.query(`ALTER TEXT SEARCH CONFIGURATION public.agora_${name} ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, pg_catalog.${stemmer}`);
    }
    // The configuration of a language code (en, es, fr; anything else: simple).
    await q.query(`
      CREATE FUNCTION public.agora_search_config(language text) RETURNS regconfig
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE language WHEN 'en' THEN 'public.agora_english'::regconfig WHEN 'es' THEN 'public.agora_spanish'::regconfig
          WHEN 'fr' THEN 'public.agora_french'::regconfig ELSE 'public.agora_simple'::regconfig END
      $$`);
    // A text under each of the given languages' configurations (none known: simple). IMMUTABLE so a
    // generated column may use it: the configurations are fixed by this migration.
    await q.query(`
      CREATE FUNCTION public.agora_tsvector(languages text[], body text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN languages && ARRAY['en', 'es', 'fr'] THEN
            (CASE WHEN 'en' = ANY (languages) THEN to_tsvector('public.agora_english'::regconfig, coalesce(body, '')) ELSE ''::tsvector END)
         || (CASE WHEN 'es' = ANY (languages) THEN to_tsvector('public.agora_spanish'::regconfig, coalesce(body, '')) ELSE ''::tsvector END)
         || (CASE WHEN 'fr' = ANY (languages) THEN to_tsvector('public.agora_french'::regconfig, coalesce(body, '')) ELSE ''::tsvector END)
          ELSE to_tsvector('public.agora_simple'::regconfig, coalesce(body, '')) END
      $$`);
    // array_to_string is STABLE only because of arbitrary element types; on text[] it is immutable.
    await q.query(`
      CREATE FUNCTION public.agora_words(words text[]) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_to_string(words, ' ') $$`);

    await q.query(`ALTER TABLE reply ADD COLUMN language text CHECK (language IN ('en', 'es', 'fr'))`);
    // Existing replies: their author's language (the detector runs on new writes).
    await q.query(`UPDATE reply r SET language = a.language FROM account a WHERE a.id = r.author_id`);

    const all = `ARRAY['en', 'es', 'fr']`;
    await q.query(`
      ALTER TABLE session ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(public.agora_tsvector(languages, title), 'A')
        || setweight(public.agora_tsvector(languages, organiser || ' ' || public.agora_words(partners) || ' ' || public.agora_words(cities) || ' ' || public.agora_words(topics)), 'B')
        || setweight(public.agora_tsvector(languages, summary), 'C')) STORED`);
    await q.query(`
      ALTER TABLE forum ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(public.agora_tsvector(${all}, title), 'A') || setweight(public.agora_tsvector(${all}, description), 'B')) STORED`);
    await q.query(`
      ALTER TABLE question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(public.agora_tsvector(${all}, title), 'A') || setweight(public.agora_tsvector(${all}, body_source), 'B')) STORED`);
    await q.query(`
      ALTER TABLE reply ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        public.agora_tsvector(ARRAY[language], body_source)) STORED`);
    await q.query(`
      ALTER TABLE live_question ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        public.agora_tsvector(${all}, body)) STORED`);
    for (const table of ['session', 'forum', 'question', 'reply', 'live_question']) {
      await q.query(`CREATE INDEX ${table}_search_idx ON ${table} USING gin (search_vector)`);
    }
    // The people page lists a member's replies newest first.
    await q.query(`CREATE INDEX reply_author_created_idx ON reply (author_id, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reply_author_created_idx`);
    for (const table of ['session', 'forum', 'question', 'reply', 'live_question']) {
      await q.query(`ALTER TABLE ${table} DROP COLUMN search_vector`);
    }
    await q.query(`ALTER TABLE reply DROP COLUMN language`);
    await q.query(`DROP FUNCTION public.agora_words(text[])`);
    await q.query(`DROP FUNCTION public.agora_tsvector(text[], text)`);
    await q.query(`DROP FUNCTION public.agora_search_config(text)`);
    for (const name of ['english', 'spanish', 'french', 'simple']) await q.query(`DROP TEXT SEARCH CONFIGURATION public.agora_${name}`);
    // The extension stays: other schemas' objects may use it, and it holds no data.
  }
}
