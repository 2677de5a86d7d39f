import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * One owner per table (issue 11): each table is written by the queries of one
 * feature folder and nowhere else, and every write is built as typed SQL
 * (Kysely over the generated row types), never a raw string. Demo data and
 * migrations are the exceptions. The event core (src/events/event-log.ts)
 * appends to both event logs through the table names their owners hand it,
 * so it is an owner's instrument rather than a second writer.
 */
const OWNERS: Record<string, string> = {
  account: 'auth',
  email_verification: 'auth',
  login_session: 'auth',
  password_reset: 'auth',
  sign_in_attempt: 'auth',
  audit_record: 'audit',
  question: 'discussions',
  reply: 'discussions',
  reply_revision: 'discussions',
  reply_vote: 'discussions',
  thread_counter: 'discussions',
  forum_event: 'events',
  forum_event_seq: 'events',
  forum: 'forums',
  forum_membership: 'forums',
  invitation: 'forums',
  invitation_acceptance: 'forums',
  session_moderator: 'forums',
  live_poll: 'live-qa',
  live_poll_answer: 'live-qa',
  live_poll_removed_word: 'live-qa',
  live_qa: 'live-qa',
  live_question: 'live-qa',
  live_question_counter: 'live-qa',
  live_question_revision: 'live-qa',
  live_question_vote: 'live-qa',
  qa_event: 'live-qa',
  qa_event_seq: 'live-qa',
  mail_failure: 'mail',
  mail_preference: 'mail',
  outbox_mail: 'mail',
  forum_silence: 'moderation',
  reply_flag: 'moderation',
  following: 'notifications',
  forum_visit: 'notifications',
  notification: 'notifications',
  notification_cursor: 'notifications',
  notification_dead_letter: 'notifications',
  thread_read: 'notifications',
  session: 'sessions',
  session_date: 'sessions',
  session_document: 'sessions',
};

const SRC = join(process.cwd(), 'src');
const EXEMPT = [join('database', 'demo') + sep, join('database', 'migrations') + sep];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** Table names of the entity classes (`@Entity('reply') export class Reply`). */
function entityTables(files: { text: string }[]): Map<string, string> {
  const tables = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/@Entity\(\s*'(\w+)'[^)]*\)\s*(?:@\w+\([^)]*\)\s*)*export class (\w+)/g)) tables.set(m[2], m[1]);
  }
  return tables;
}

interface Write {
  table: string;
  /** How it is built: typed (Kysely) or raw (an SQL string or TypeORM's entity writes). */
  typed: boolean;
  line: number;
}

/** Every write a file makes, as far as its text shows. */
export function writesIn(text: string, entities: Map<string, string>): Write[] {
  const found: Write[] = [];
  const lineOf = (index: number) => text.slice(0, index).split('\n').length;
  const add = (table: string | undefined, typed: boolean, index: number) => table && found.push({ table, typed, line: lineOf(index) });
  for (const m of text.matchAll(/\b(?:INSERT\s+INTO|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+"?([a-z_]+)"?|\bUPDATE\s+"?([a-z_]+)"?(?:\s+(?:AS\s+)?[a-z]\w*)?\s+SET\b/g)) {
    add(m[1] ?? m[2], false, m.index);
  }
  for (const m of text.matchAll(/\.(?:insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\(\s*['"]([a-z_]+)(?:\s+as\s+\w+)?['"]/g)) add(m[1], true, m.index);
  // TypeORM's entity writes: manager.update(Reply, …), .insert().into(Reply), getRepository(Reply).save(…).
  for (const m of text.matchAll(/\.(?:update|delete|insert|save|remove|upsert|softDelete|increment|decrement)\(\s*([A-Z]\w*)\s*[,)]/g)) add(entities.get(m[1]), false, m.index);
  for (const m of text.matchAll(/\.(?:into|from)\(\s*([A-Z]\w*)\s*[,)]/g)) add(entities.get(m[1]), false, m.index);
  for (const m of text.matchAll(/getRepository\(\s*([A-Z]\w*)\s*\)\s*\.(?:save|insert|update|delete|remove|upsert|increment|decrement)\(/g)) {
    add(entities.get(m[1]), false, m.index);
  }
  return found;
}

const files = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
const entities = entityTables(files);
const checked = files.filter((f) => !EXEMPT.some((prefix) => f.path.startsWith(prefix)));
const schema = readFileSync(join(SRC, 'database', 'schema.ts'), 'utf8');
const tables = [...schema.slice(schema.indexOf('export interface DB {')).matchAll(/^ {2}([a-z_]+): \w+;$/gm)].map((m) => m[1]);

describe('table owners', () => {
  it('names an owner for every table of the schema, and only for those', () => {
    expect(tables.length).toBeGreaterThan(30);
    expect(Object.keys(OWNERS).sort()).toEqual([...tables].sort());
  });

  it('sees the writes it is meant to see', () => {
    const sample = [
      "m.query(`INSERT INTO reply (body) VALUES ($1)`)",
      "m.query(`UPDATE question q SET closed = true`)",
      "m.query(`DELETE FROM thread_counter WHERE question_id = $1`)",
      "db.updateTable('forum').set({ title })",
      "db.insertInto('reply_vote').values(v)",
      'm.update(Account, { id }, { role })',
      'qb.insert().into(Session).values(v)',
      "m.query(`SELECT id FROM reply WHERE id = $1 FOR UPDATE`)",
      "m.query(`INSERT INTO following AS f (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2`)",
    ].join('\n');
    const seen = writesIn(sample, new Map([['Account', 'account'], ['Session', 'session']]));
    expect(seen.map((w) => [w.table, w.typed])).toEqual([
      ['reply', false],
      ['question', false],
      ['thread_counter', false],
      ['following', false],
      ['forum', true],
      ['reply_vote', true],
      ['account', false],
      ['session', false],
    ]);
  });

  it('finds no table written outside the feature that owns it', () => {
    const strays = checked.flatMap((f) =>
      writesIn(f.text, entities)
        .filter((w) => f.path.split(sep)[0] !== OWNERS[w.table])
        .map((w) => `${f.path}:${w.line} writes ${w.table} (owner: ${OWNERS[w.table] ?? 'none'})`),
    );
    expect(strays).toEqual([]);
  });

  it('finds every write built as typed SQL', () => {
    const raw = checked.flatMap((f) =>
      writesIn(f.text, entities)
        .filter((w) => !w.typed)
        .map((w) => `${f.path}:${w.line} writes ${w.table} as raw SQL`),
    );
    expect(raw).toEqual([]);
  });
});
