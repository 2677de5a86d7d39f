import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum } from './support/fixtures.js';
import { createAccount, signedIn, signIn } from './support/people.js';

// The embedded database (no DATABASE_URL) starts and migrates in a few seconds, and runs transactions one at a time.

/** The session catalogue: admin writes, filters, facets, keyset pages, details with the caller's forums. */
describe('sessions', () => {
  let t: TestApp;
  let admin: TestAgent;
  let member: TestAgent;
  // Every session this file creates carries this tag (in its title and topics),
  // so assertions ignore what other spec files put in the shared database.
  const tag = `tag${randomUUID().slice(0, 8)}`;
  const topic = `topic-${tag}`;

  const session = (over: Record<string, unknown> = {}) => ({
    kind: 'webinar',
    title: `Session ${tag} ${randomUUID().slice(0, 6)}`,
    organiser: 'Metropolis',
    topics: [topic],
    ...over,
  });
  const date = (day: string, hours = 2) => ({ startsAt: `${day}T10:00:00Z`, endsAt: new Date(Date.parse(`${day}T10:00:00Z`) + hours * 3600_000).toISOString() });

  beforeAll(async () => {
    t = await startTestApp();
    admin = (await signedIn(t, { role: 'admin' })).agent;
    member = (await signedIn(t)).agent;
  });
  afterAll(async () => { await t.close(); });

  describe('creating and changing (admins only)', () => {
    it('refuses anonymous callers (401) and members (403)', async () => {
      const anon = await t.agent().post('/api/sessions').send(session()).expect(401);
      expect(anon.body.code).toBe('unauthenticated');
      const res = await member.post('/api/sessions').send(session()).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'admin_only' });
      await t.agent().patch('/api/sessions/1').send({ state: 'live' }).expect(401);
      await member.patch('/api/sessions/1').send({ state: 'live' }).expect(403);
    });

    it('creates a session with dates and documents, and a slug from its title', async () => {
      const res = await admin
        .post('/api/sessions')
        .send(session({
          title: `Señales & Ciudades ${tag}`,
          summary: 'A look at digital cities.',
          kind: 'training_workshop',
          partners: ['UITP', ' C40 '],
          cities: ['Barcelona', 'Córdoba'],
          languages: ['en', 'es'],
          dates: [date('2021-05-18'), date('2021-05-17')],
          documents: [
            { kind: 'concept_note', language: 'es', title: 'Nota conceptual', url: 'https://www.metropolis.org/a-es.pdf' },
            { kind: 'concept_note', language: 'en', title: 'Concept note', url: 'https://www.metropolis.org/a-en.pdf' },
          ],
        }))
        .expect(201);
      expect(res.body).toMatchObject({
        slug: `senales-ciudades-${tag}`,
        kind: 'training_workshop',
        state: 'scheduled',
        partners: ['UITP', 'C40'],
        cities: ['Barcelona', 'Córdoba'],
        languages: ['en', 'es'],
        forums: [],
        forumCount: 0,
      });
      expect(res.body.dates.map((d: { startsAt: string }) => d.startsAt)).toEqual(['2021-05-17T10:00:00.000Z', '2021-05-18T10:00:00.000Z']);
      expect(res.body.documents.map((d: { language: string }) => d.language)).toEqual(['en', 'es']);

      // The same title again gets the next free slug.
      const again = await admin.post('/api/sessions').send(session({ title: `Señales & Ciudades ${tag}` })).expect(201);
      expect(again.body.slug).toBe(`senales-ciudades-${tag}-2`);
    });

    it('refuses a slug that is taken (409)', async () => {
      const slug = `taken-${tag}`;
      await admin.post('/api/sessions').send(session({ slug })).expect(201);
      const res = await admin.post('/api/sessions').send(session({ slug })).expect(409);
      expect(res.body.code).toBe('session_slug_taken');
    });

    const invalid: [string, Record<string, unknown>, string][] = [
      ['kind missing', { kind: undefined }, 'kind'],
      ['kind unknown', { kind: 'lecture' }, 'kind'],
      ['title missing', { title: undefined }, 'title'],
      ['title blank', { title: '   ' }, 'title'],
      ['title too long', { title: 'x'.repeat(201) }, 'title'],
      ['title not a string', { title: 42 }, 'title'],
      ['organiser missing', { organiser: undefined }, 'organiser'],
      ['organiser blank', { organiser: ' ' }, 'organiser'],
      ['slug malformed', { slug: 'Not A Slug' }, 'slug'],
      ['slug double hyphen', { slug: 'a--b' }, 'slug'],
      ['slug too long', { slug: 'a'.repeat(121) }, 'slug'],
      ['summary too long', { summary: 'x'.repeat(5001) }, 'summary'],
      ['partners not an array', { partners: 'UITP' }, 'partners'],
      ['partners with a blank', { partners: [' '] }, 'partners'],
      ['partners repeated', { partners: ['A', 'A'] }, 'partners'],
      ['cities item too long', { cities: ['x'.repeat(121)] }, 'cities'],
      ['cities not strings', { cities: [1] }, 'cities'],
      ['topics too many', { topics: Array.from({ length: 31 }, (_, i) => `t${i}`) }, 'topics'],
      ['languages unknown', { languages: ['de'] }, 'languages'],
      ['languages empty', { languages: [] }, 'languages'],
      ['languages repeated', { languages: ['en', 'en'] }, 'languages'],
      ['state unknown', { state: 'cancelled' }, 'state'],
      ['dates not an array', { dates: 'tomorrow' }, 'dates'],
      ['date not an object', { dates: ['2021-05-17'] }, 'dates.0'],
      ['date malformed', { dates: [{ startsAt: 'soon', endsAt: '2021-05-17T12:00:00Z' }] }, 'dates.0.startsAt'],
      ['date without a time zone', { dates: [{ startsAt: '2021-05-17T10:00:00', endsAt: '2021-05-17T12:00:00Z' }] }, 'dates.0.startsAt'],
      ['date missing its end', { dates: [{ startsAt: '2021-05-17T10:00:00Z' }] }, 'dates.0.endsAt'],
      ['date ending before it starts', { dates: [{ startsAt: '2021-05-17T10:00:00Z', endsAt: '2021-05-17T09:00:00Z' }] }, 'dates.0.endsAt'],
      ['dates starting together', { dates: [date('2021-05-17'), date('2021-05-17', 3)] }, 'dates.1.startsAt'],
      ['document kind unknown', { documents: [{ kind: 'flyer', language: 'en', title: 'x', url: 'https://a.org/x' }] }, 'documents.0.kind'],
      ['document language unknown', { documents: [{ kind: 'programme', language: 'de', title: 'x', url: 'https://a.org/x' }] }, 'documents.0.language'],
      ['document title blank', { documents: [{ kind: 'programme', language: 'en', title: ' ', url: 'https://a.org/x' }] }, 'documents.0.title'],
      ['document url not http', { documents: [{ kind: 'programme', language: 'en', title: 'x', url: 'javascript:alert(1)' }] }, 'documents.0.url'],
      ['document url missing', { documents: [{ kind: 'programme', language: 'en', title: 'x' }] }, 'documents.0.url'],
      ['documents with the same url', {
        documents: [
          { kind: 'programme', language: 'en', title: 'x', url: 'https://a.org/x' },
          { kind: 'programme', language: 'es', title: 'y', url: 'https://a.org/x' },
        ],
      }, 'documents.1.url'],
      ['an unknown field', { colour: 'blue' }, 'colour'],
    ];
    it.each(invalid)('refuses a session with %s (400 naming the field)', async (_label, over, field) => {
      const body = session(over);
      for (const [k, v] of Object.entries(over)) if (v === undefined) delete (body as Record<string, unknown>)[k];
      const res = await admin.post('/api/sessions').send(body).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('changes a session: state, fields, dates; by id or slug', async () => {
      const created = (await admin.post('/api/sessions').send(session({ dates: [date('2020-01-01')], cities: ['Seoul'] })).expect(201)).body;
      const live = await admin.patch(`/api/sessions/${created.id}`).send({ state: 'live' }).expect(200);
      expect(live.body).toMatchObject({ id: created.id, state: 'live', cities: ['Seoul'], dates: created.dates });
      const changed = await admin
        .patch(`/api/sessions/${created.slug}`)
        .send({ state: 'ended', summary: 'Now with a summary.', dates: [date('2020-02-01'), date('2020-02-02')], cities: null })
        .expect(200);
      expect(changed.body).toMatchObject({ state: 'ended', summary: 'Now with a summary.', cities: [] });
      expect(changed.body.dates).toHaveLength(2);
      expect(Date.parse(changed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
      const docsOnly = await admin
        .patch(`/api/sessions/${created.id}`)
        .send({ documents: [{ kind: 'programme', language: 'fr', title: 'Programme', url: 'https://www.metropolis.org/p.pdf' }] })
        .expect(200);
      expect(docsOnly.body.documents).toHaveLength(1);
      expect(docsOnly.body.dates).toHaveLength(2);
    });

    it('refuses bad changes with the field named, unknown sessions with 404, taken slugs with 409', async () => {
      const a = (await admin.post('/api/sessions').send(session()).expect(201)).body;
      const b = (await admin.post('/api/sessions').send(session()).expect(201)).body;
      for (const [body, field] of [
        [{ state: 'paused' }, 'state'],
        [{ title: null }, 'title'],
        [{ kind: null }, 'kind'],
        [{ title: '' }, 'title'],
        [{ languages: ['xx'] }, 'languages'],
        [{ dates: [{ startsAt: '2021-01-01T10:00:00Z', endsAt: '2021-01-01T10:00:00Z' }] }, 'dates.0.endsAt'],
        [{ id: 5 }, 'id'],
      ] as [Record<string, unknown>, string][]) {
        const res = await admin.patch(`/api/sessions/${a.id}`).send(body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await admin.patch('/api/sessions/999999999').send({ state: 'live' }).expect(404);
      const taken = await admin.patch(`/api/sessions/${a.id}`).send({ slug: b.slug }).expect(409);
      expect(taken.body.code).toBe('session_slug_taken');
    });
  });

  describe('the catalogue', () => {
    const ids: Record<string, number> = {};
    const fTag = `${tag}f`;
    const fTopic = `filters-${fTag}`;

    beforeAll(async () => {
      const make = async (key: string, over: Record<string, unknown>) => {
        const res = await admin.post('/api/sessions').send(session({ topics: [fTopic], ...over })).expect(201);
        ids[key] = res.body.id;
      };
      await make('mobility', { title: `Sustainable urban mobility ${fTag}`, cities: ['Madrid', 'Seoul'], organiser: 'Metropolis', dates: [date('2021-06-03')], languages: ['en'] });
      await make('water', { title: `Water management ${fTag}`, summary: 'Seoul shares its Arisu water system (100% tap).', kind: 'training_workshop', organiser: 'Seoul Human Resource Development Center', cities: ['Seoul', 'Bangkok'], topics: [fTopic, 'water'], dates: [date('2020-11-10')] });
      await make('digital', { title: `Digitalisation ${fTag}`, organiser: 'Metropolis', cities: ['Barcelona'], languages: ['en', 'es', 'fr'], state: 'ended', dates: [date('2021-05-17')] });
      await make('series', { title: `Fighting urban inequalities ${fTag}`, kind: 'series', organiser: 'Metropolis', dates: [date('2020-03-01'), date('2020-10-01')] });
      await make('undated', { title: `Undated ${fTag}`, organiser: 'metropolis' });
    });

    const list = async (query: Record<string, string | number>, agent: TestAgent = t.agent()) =>
      (await agent.get('/api/sessions').query(query).expect(200)).body as { items: { id: number; title: string; forumCount: number }[]; nextCursor: string | null };

    it('lists newest first date first, sessions without dates last', async () => {
      const page = await list({ topic: fTopic });
      expect(page.items.map((s) => s.id)).toEqual([ids.mobility, ids.digital, ids.water, ids.series, ids.undated]);
      expect(page.nextCursor).toBeNull();
    });

    it.each([
      [{ city: 'Seoul' }, ['mobility', 'water']],
      [{ city: 'seoul' }, []],
      [{ organiser: 'METROPOLIS' }, ['mobility', 'digital', 'series', 'undated']],
      [{ kind: 'training_workshop' }, ['water']],
      [{ kind: 'series' }, ['series']],
      [{ state: 'ended' }, ['digital']],
      [{ language: 'fr' }, ['digital']],
      [{ q: 'arisu' }, ['water']],
      [{ q: 'URBAN mobility' }, ['mobility']],
      [{ q: '100%' }, ['water']],
      [{ q: '100%25x' }, []],
      [{ q: 'urban', city: 'Madrid' }, ['mobility']],
      [{ city: '' }, ['mobility', 'digital', 'water', 'series', 'undated']],
    ])('filters by %j', async (filters, expected) => {
      const page = await list({ topic: fTopic, ...filters });
      expect(page.items.map((s) => s.id)).toEqual(expected.map((k) => ids[k]));
    });

    it('filters by topic alone', async () => {
      const page = await list({ topic: 'water', q: fTag });
      expect(page.items.map((s) => s.id)).toEqual([ids.water]);
    });

    it('pages with a cursor, without gaps or repeats, also when sessions are added between pages', async () => {
      const cTag = `${tag}c`;
      const cTopic = `paging-${cTag}`;
      const created: number[] = [];
      // Ties on the first date are broken by id; one session has no date.
      for (const day of ['2021-01-01', '2021-01-01', '2021-01-01', '2020-06-01', '2022-03-01', '2020-06-01', null]) {
        const res = await admin.post('/api/sessions').send(session({ topics: [cTopic], dates: day ? [date(day)] : [] })).expect(201);
        created.push(res.body.id);
      }
      const all = (await list({ topic: cTopic, limit: 100 })).items.map((s) => s.id);
      expect(all).toHaveLength(7);

      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await list({ topic: cTopic, limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
        pages += 1;
        if (pages === 1) {
          // Added after the first page: one sorts before it (not seen), one within the rest (seen once).
          await admin.post('/api/sessions').send(session({ topics: [cTopic], dates: [date('2023-01-01')] })).expect(201);
          await admin.post('/api/sessions').send(session({ topics: [cTopic], dates: [date('2020-12-01')] })).expect(201);
        }
      } while (cursor && pages < 20);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of all) expect(seen).toContain(id);
      expect(seen.filter((id) => all.includes(id))).toEqual(all);
      expect(seen).toHaveLength(8);
    });

    it.each([
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ limit: '1.5' }, 'limit'],
      [{ state: 'paused' }, 'state'],
      [{ kind: 'lecture' }, 'kind'],
      [{ language: 'de' }, 'language'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: Buffer.from('["2021-01-01",1]').toString('base64url') }, 'cursor'],
      [{ cursor: Buffer.from('[null,-1]').toString('base64url') }, 'cursor'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ topic: 'x'.repeat(121) }, 'topic'],
      [{ sort: 'title' }, 'sort'],
    ])('refuses the query %j (400 naming the field)', async (query, field) => {
      const res = await t.agent().get('/api/sessions').query(query).expect(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('refuses a filter given twice', async () => {
      const res = await t.agent().get(`/api/sessions?topic=a&topic=b`).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('topic');
    });

    it('counts facets over the filtered sessions, each ignoring its own filter', async () => {
      const res = await t.agent().get('/api/sessions/facets').query({ topic: fTopic }).expect(200);
      expect(res.body.total).toBe(5);
      const count = (facet: { value: string; count: number }[], value: string) => facet.find((f) => f.value === value)?.count;
      expect(count(res.body.cities, 'Seoul')).toBe(2);
      expect(count(res.body.cities, 'Bangkok')).toBe(1);
      expect(count(res.body.organisers, 'Metropolis')).toBe(3);
      expect(count(res.body.organisers, 'metropolis')).toBe(1);
      expect(count(res.body.kinds, 'webinar')).toBe(3);
      expect(count(res.body.languages, 'fr')).toBe(1);
      expect(count(res.body.states, 'ended')).toBe(1);
      expect(count(res.body.topics, 'water')).toBe(1);
      // The cities facet ignores the city filter (so a client can offer the other cities); the rest apply it.
      const seoul = await t.agent().get('/api/sessions/facets').query({ topic: fTopic, city: 'Seoul' }).expect(200);
      expect(seoul.body.total).toBe(2);
      expect(count(seoul.body.cities, 'Madrid')).toBe(1);
      expect(count(seoul.body.kinds, 'training_workshop')).toBe(1);
      expect(count(seoul.body.kinds, 'series')).toBeUndefined();
      // Most frequent first.
      const counts = res.body.cities.map((c: { count: number }) => c.count);
      expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
      const bad = await t.agent().get('/api/sessions/facets').query({ kind: 'lecture' }).expect(400);
      expect(bad.body.details[0].field).toBe('kind');
      await t.agent().get('/api/sessions/facets').query({ limit: 5 }).expect(400);
    });
  });

  describe('one session and its forums', () => {
    let sessionId: number;
    let slug: string;
    let forums: Record<'public' | 'members' | 'invite' | 'removedFrom', number>;
    let invited: TestAgent;
    let removed: TestAgent;

    beforeAll(async () => {
      const res = await admin
        .post('/api/sessions')
        .send(session({
          dates: [date('2021-05-17')],
          documents: [
            { kind: 'programme', language: 'en', title: 'Programme', url: 'https://www.metropolis.org/p.pdf' },
            { kind: 'concept_note', language: 'fr', title: 'Note conceptuelle', url: 'https://www.metropolis.org/fr.pdf' },
            { kind: 'concept_note', language: 'en', title: 'Concept note', url: 'https://www.metropolis.org/en.pdf' },
            { kind: 'concept_note', language: 'es', title: 'Nota conceptual', url: 'https://www.metropolis.org/es.pdf' },
          ],
        }))
        .expect(201);
      sessionId = res.body.id;
      slug = res.body.slug;
      forums = {
        public: (await newForum(t, { sessionId, visibility: 'public' })).id,
        members: (await newForum(t, { sessionId, visibility: 'members' })).id,
        invite: (await newForum(t, { sessionId, visibility: 'invite_only' })).id,
        removedFrom: (await newForum(t, { sessionId, visibility: 'members' })).id,
      };
      const invitedPerson = await createAccount(t);
      await addMember(t, forums.invite, invitedPerson.id);
      invited = await signIn(t, invitedPerson.email, invitedPerson.password);
      const removedPerson = await createAccount(t);
      await addMember(t, forums.removedFrom, removedPerson.id, 'member', 'removed');
      removed = await signIn(t, removedPerson.email, removedPerson.password);
    });

    it('is found by id and by slug, with its dates and documents by language', async () => {
      const byId = await t.agent().get(`/api/sessions/${sessionId}`).expect(200);
      const bySlug = await t.agent().get(`/api/sessions/${slug}`).expect(200);
      expect(bySlug.body).toEqual(byId.body);
      expect(byId.body.dates).toEqual([{ startsAt: '2021-05-17T10:00:00.000Z', endsAt: '2021-05-17T12:00:00.000Z' }]);
      expect(byId.body.documents.map((d: { language: string; kind: string }) => `${d.language}:${d.kind}`)).toEqual([
        'en:concept_note', 'en:programme', 'es:concept_note', 'fr:concept_note',
      ]);
    });

    it.each(['999999999', '99999999999', 'no-such-session', 'Not A Slug!', '0'])('answers 404 for %s', async (key) => {
      const res = await t.agent().get(`/api/sessions/${encodeURIComponent(key)}`).expect(404);
      expect(res.body.code).toBe('session_not_found');
    });

    it('tells a visitor who is not signed in how many members\' forums signing in would show (never the invite-only ones)', async () => {
      const count = async (agent: TestAgent) => {
        const detail = (await agent.get(`/api/sessions/${sessionId}`).expect(200)).body;
        const listed = (await agent.get('/api/sessions').query({ q: slug.split('-').at(-1)!, topic }).expect(200)).body.items.find((s: { id: number }) => s.id === sessionId);
        expect(listed.membersForumCount).toBe(detail.membersForumCount);
        return detail.membersForumCount;
      };
      expect(await count(t.agent())).toBe(2);
      for (const agent of [member, invited, removed, admin]) expect(await count(agent)).toBe(0);
    });

    it.each([
      ['anonymous', () => t.agent(), ['public']],
      ['a signed-in member', () => member, ['public', 'members', 'removedFrom']],
      ['an invited member', () => invited, ['public', 'members', 'invite', 'removedFrom']],
      ['a removed member', () => removed, ['public', 'members']],
      ['an admin', () => admin, ['public', 'members', 'invite', 'removedFrom']],
    ] as [string, () => TestAgent, (keyof typeof forums)[]][])('shows %s only the forums they may see', async (_who, agent, expected) => {
      const detail = await agent().get(`/api/sessions/${sessionId}`).expect(200);
      const expectedIds = expected.map((k) => forums[k]).sort((a, b) => a - b);
      expect(detail.body.forums.map((f: { id: number }) => f.id)).toEqual(expectedIds);
      expect(detail.body.forumCount).toBe(expected.length);
      expect(detail.body.forums[0]).toMatchObject({ sessionId, questionCount: 0, replyCount: 0, state: 'open' });
      const listed = await agent().get('/api/sessions').query({ q: slug.split('-').at(-1)!, topic }).expect(200);
      expect(listed.body.items.find((s: { id: number }) => s.id === sessionId)?.forumCount).toBe(expected.length);
      const forumList = await agent().get(`/api/sessions/${slug}/forums`).expect(200);
      expect(forumList.body.map((f: { id: number }) => f.id)).toEqual(expectedIds);
    });

    it('answers 404 for the forums of an unknown session', async () => {
      await t.agent().get('/api/sessions/999999999/forums').expect(404);
    });
  });
});
