import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent.js';
import { startTestApp, type TestApp } from './support/app.js';
import { addMember, newForum, newQuestion, newSession } from './support/fixtures.js';
import { newOpenQa } from './support/live-qa.js';
import { signedIn, type TestPerson } from './support/people.js';
import { postReply } from './support/threads.js';
import { RANKED_CANDIDATES } from '../src/search/search-sql.js';

/**
 * Issue 15: full-text search in English, Spanish and French (stems, accents),
 * through the same access rules as every read, and current at once after
 * every write (edit, hide, unhide, delete, move).
 */

interface Hit { kind: string; id: string; titleHtml: string; snippetHtml: string; path: string; state: string | null; questionId: number | null; author: any; language: string | null }
interface Group { kind: string; items: Hit[]; nextCursor: string | null }

describe('search', () => {
  let t: TestApp;
  let moderator: { account: TestPerson; agent: TestAgent };
  let ana: { account: TestPerson; agent: TestAgent };
  let reader: { account: TestPerson; agent: TestAgent };
  let admin: { account: TestPerson; agent: TestAgent };

  beforeAll(async () => {
    t = await startTestApp();
    [moderator, ana, reader, admin] = await Promise.all([
      signedIn(t, { displayName: 'Moderator Mo' }),
      signedIn(t, { displayName: 'Ana Bogotá', organisation: 'Alcaldía de Bogotá', language: 'es' }),
      signedIn(t, { displayName: 'Reader Rui' }),
      signedIn(t, { displayName: 'Admin Ada', role: 'admin' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  /** A forum with the moderator and one question; ana and reader are members. */
  async function forumWithQuestion(visibility: 'public' | 'members' | 'invite_only' = 'public') {
    const forum = await newForum(t, { visibility });
    await addMember(t, forum.id, moderator.account.id, 'moderator');
    await addMember(t, forum.id, ana.account.id);
    await addMember(t, forum.id, reader.account.id);
    const question = await newQuestion(t, forum.id);
    return { forumId: forum.id, questionId: question.id };
  }

  const search = async (agent: TestAgent, params: Record<string, string | number>): Promise<Group[]> => {
    const res = await agent.get('/api/search').query(params);
    expect(res.status).toBe(200);
    return res.body.groups as Group[];
  };
  const replyHits = async (agent: TestAgent, q: string, forumId: number) => {
    const [group] = await search(agent, { q, kind: 'reply', forum: forumId });
    return group!.items;
  };
  const replyIds = async (agent: TestAgent, q: string, forumId: number) => (await replyHits(agent, q, forumId)).map((h) => h.id);
  const act = async (agent: TestAgent, body: object) => {
    const res = await agent.post('/api/moderation/acts').send(body);
    expect(res.status).toBe(200);
  };

  describe('stems and accents in each language', () => {
    it('Spanish: a singular query without accents finds the accented plural, and the reverse', async () => {
      const s = await forumWithQuestion();
      const plural = await postReply(ana.agent, s.questionId, 'Las ciclovías de Bogotá son cada vez más seguras para las familias.');
      const singular = await postReply(ana.agent, s.questionId, 'Construimos una ciclovía nueva en el barrio durante la pandemia.');
      const unrelated = await postReply(ana.agent, s.questionId, 'El transporte público necesita más inversión en nuestra ciudad.');
      expect((await replyIds(t.agent(), 'ciclovia', s.forumId)).sort()).toEqual([plural.id, singular.id].sort());
      expect((await replyIds(t.agent(), 'ciclovías', s.forumId)).sort()).toEqual([plural.id, singular.id].sort());
      const [hit] = await replyHits(t.agent(), 'ciclovias bogota', s.forumId);
      expect(hit).toMatchObject({ id: plural.id, language: 'es', path: `/forums/${s.forumId}/questions/${s.questionId}#reply-${plural.id}` });
      expect(hit!.snippetHtml).toContain('<mark>ciclovías</mark>');
      expect(hit!.snippetHtml).toContain('<mark>Bogotá</mark>');
      expect(hit!.author).toMatchObject({ id: ana.account.id, displayName: 'Ana Bogotá', organisation: 'Alcaldía de Bogotá', avatarUrl: null });
      expect(await replyIds(t.agent(), 'inversion publica', s.forumId)).toEqual([unrelated.id]);
    });

    it('French: "mobilités" finds "mobilité", and without accents too', async () => {
      const s = await forumWithQuestion();
      const one = await postReply(reader.agent, s.questionId, 'La mobilité douce a changé la vie de notre quartier depuis deux ans.');
      const many = await postReply(reader.agent, s.questionId, 'Les nouvelles mobilités électriques posent des questions de sécurité.');
      expect((await replyIds(t.agent(), 'mobilités', s.forumId)).sort()).toEqual([one.id, many.id].sort());
      expect((await replyIds(t.agent(), 'mobilite', s.forumId)).sort()).toEqual([one.id, many.id].sort());
      expect(await replyIds(t.agent(), 'securite electrique', s.forumId)).toEqual([many.id]);
      expect((await replyHits(t.agent(), 'securite', s.forumId))[0]!.language).toBe('fr');
    });

    it('English: plurals and verb forms meet at their stem', async () => {
      const s = await forumWithQuestion();
      const lanes = await postReply(reader.agent, s.questionId, 'Our council opened protected bike lanes across the whole city centre.');
      expect(await replyIds(t.agent(), 'lane', s.forumId)).toEqual([lanes.id]);
      expect(await replyIds(t.agent(), 'protecting', s.forumId)).toEqual([lanes.id]);
      expect(await replyIds(t.agent(), 'tramway', s.forumId)).toEqual([]);
    });
  });

  describe('who sees what', () => {
    it('invite-only content never reaches outsiders, members-only never reaches anonymous visitors', async () => {
      const word = `zanahoria${randomUUID().slice(0, 6)}`;
      const cases = { public: await forumWithQuestion('public'), members: await forumWithQuestion('members'), invite_only: await forumWithQuestion('invite_only') };
      const posted: Record<string, string> = {};
      for (const [visibility, s] of Object.entries(cases)) {
        posted[visibility] = (await postReply(ana.agent, s.questionId, `Hablamos de la ${word} en el foro.`)).id;
        await t.dataSource.query(`UPDATE question SET title = $2 WHERE id = $1`, [s.questionId, `Question about ${word}`]);
      }
      const outsider = await signedIn(t, { displayName: 'Outsider Olga' });
      const seen = async (agent: TestAgent) => {
        const groups = await search(agent, { q: word });
        const of = (kind: string) => (groups.find((g) => g.kind === kind)?.items ?? []).map((h) => h.id).sort();
        return { replies: of('reply'), questions: of('question') };
      };
      const ids = (...v: string[]) => v.map((x) => posted[x]!).sort();
      const qids = (...v: (keyof typeof cases)[]) => v.map((x) => String(cases[x].questionId)).sort();
      expect(await seen(t.agent())).toEqual({ replies: ids('public'), questions: qids('public') });
      expect(await seen(outsider.agent)).toEqual({ replies: ids('public', 'members'), questions: qids('public', 'members') });
      expect(await seen(reader.agent)).toEqual({ replies: ids('public', 'members', 'invite_only'), questions: qids('public', 'members', 'invite_only') });
      expect(await seen(admin.agent)).toEqual({ replies: ids('public', 'members', 'invite_only'), questions: qids('public', 'members', 'invite_only') });
      // A removed member loses the invite-only forum's results at once.
      await addMember(t, cases.invite_only.forumId, reader.account.id, 'member', 'removed');
      expect((await seen(reader.agent)).replies).toEqual(ids('public', 'members'));
      // The forum filter doesn't open a door either.
      expect(await replyIds(outsider.agent, word, cases.invite_only.forumId)).toEqual([]);
    });

    it('a pending reply is found only by its author and the moderators', async () => {
      const s = await forumWithQuestion();
      await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = $1`, [s.forumId]);
      const pending = await postReply(ana.agent, s.questionId, 'Proponemos un presupuesto participativo para las ciclovías.');
      expect(pending.state).toBe('pending');
      expect(await replyIds(reader.agent, 'presupuesto', s.forumId)).toEqual([]);
      expect(await replyIds(t.agent(), 'presupuesto', s.forumId)).toEqual([]);
      expect(await replyIds(ana.agent, 'presupuesto', s.forumId)).toEqual([pending.id]);
      expect((await replyHits(moderator.agent, 'presupuesto', s.forumId))[0]).toMatchObject({ id: pending.id, state: 'pending' });
      await act(moderator.agent, { act: 'reply.approve', replyId: pending.id });
      expect(await replyIds(reader.agent, 'presupuesto', s.forumId)).toEqual([pending.id]);
    });

    it('across forums, a moderator finds the pending replies of the forums they moderate only', async () => {
      const word = `berenjena${randomUUID().slice(0, 6)}`;
      const mine = await forumWithQuestion();
      const other = await newForum(t);
      await addMember(t, other.id, ana.account.id);
      const otherQuestion = await newQuestion(t, other.id);
      await t.dataSource.query(`UPDATE forum SET premoderation = true WHERE id = ANY($1)`, [[mine.forumId, other.id]]);
      const inMine = await postReply(ana.agent, mine.questionId, `Hablamos de la ${word} en el mercado.`);
      const inOther = await postReply(ana.agent, otherQuestion.id, `Otra ${word} en el mercado.`);
      expect([inMine.state, inOther.state]).toEqual(['pending', 'pending']);
      const ids = async (agent: TestAgent) => ((await search(agent, { q: word, kind: 'reply' }))[0]!.items.map((h) => h.id)).sort();
      expect(await ids(moderator.agent)).toEqual([inMine.id]);
      expect(await ids(ana.agent)).toEqual([inMine.id, inOther.id].sort());
      expect(await ids(admin.agent)).toEqual([inMine.id, inOther.id].sort());
      expect(await ids(reader.agent)).toEqual([]);
    });

    it('a long reply is found by a word far into it; its snippet is cut from the text\'s start', async () => {
      const s = await forumWithQuestion();
      const filler = Array.from({ length: 400 }, (_, i) => `palabra${i}`).join(' ');
      const word = `alcachofa${randomUUID().slice(0, 6)}`;
      const r = await postReply(ana.agent, s.questionId, `Empezamos con ${filler} y terminamos con la ${word}.`);
      const [hit] = await replyHits(reader.agent, word, s.forumId);
      expect(hit).toMatchObject({ id: r.id });
      expect(hit!.snippetHtml).toContain('Empezamos');
    });

    it('a hidden reply leaves the results at once and returns when unhidden; a deleted one leaves for good', async () => {
      const s = await forumWithQuestion();
      const r = await postReply(ana.agent, s.questionId, 'Los semáforos inteligentes redujeron los accidentes en la avenida.');
      const other = await postReply(ana.agent, s.questionId, 'Los semáforos antiguos siguen en el centro histórico de la ciudad.');
      expect((await replyIds(reader.agent, 'semaforo', s.forumId)).sort()).toEqual([r.id, other.id].sort());
      await act(moderator.agent, { act: 'reply.hide', replyId: r.id, reason: 'Off topic' });
      expect(await replyIds(reader.agent, 'semaforo', s.forumId)).toEqual([other.id]);
      expect(await replyIds(ana.agent, 'semaforo', s.forumId)).toEqual([other.id]);
      // Moderators still read hidden text, so they still find it.
      expect((await replyHits(moderator.agent, 'semaforo inteligente', s.forumId)).map((h) => [h.id, h.state])).toEqual([[r.id, 'hidden']]);
      await act(moderator.agent, { act: 'reply.unhide', replyId: r.id });
      expect((await replyIds(reader.agent, 'semaforo', s.forumId)).sort()).toEqual([r.id, other.id].sort());
      expect((await ana.agent.delete(`/api/replies/${other.id}`)).status).toBe(200);
      expect(await replyIds(reader.agent, 'semaforo', s.forumId)).toEqual([r.id]);
      expect(await replyIds(moderator.agent, 'antiguos', s.forumId)).toEqual([]);
    });

    it('an edit is found at once, and the old text no longer is', async () => {
      const s = await forumWithQuestion();
      const r = await postReply(reader.agent, s.questionId, 'We tried congestion charging in the old town last year.');
      expect(await replyIds(reader.agent, 'congestion', s.forumId)).toEqual([r.id]);
      const edit = await reader.agent.patch(`/api/replies/${r.id}`).send({ body: 'Nous avons essayé le péage urbain dans la vieille ville.' });
      expect(edit.status).toBe(200);
      expect(await replyIds(reader.agent, 'congestion', s.forumId)).toEqual([]);
      const [hit] = await replyHits(reader.agent, 'peage urbain', s.forumId);
      expect(hit).toMatchObject({ id: r.id, language: 'fr' });
    });

    it('a moved reply is found under its new question', async () => {
      const s = await forumWithQuestion();
      const target = await newQuestion(t, s.forumId);
      const r = await postReply(ana.agent, s.questionId, 'Las bicicletas compartidas funcionan mejor con estaciones cercanas.');
      await act(moderator.agent, { act: 'reply.move', replyId: r.id, toQuestionId: target.id });
      const [hit] = await replyHits(reader.agent, 'bicicleta compartida', s.forumId);
      expect(hit).toMatchObject({ id: r.id, questionId: target.id, path: `/forums/${s.forumId}/questions/${target.id}#reply-${r.id}` });
    });

    it('only the newest matches are ranked, but the bound counts what the caller may see: newer hidden matches never crowd out a visible one', async () => {
      const s = await forumWithQuestion();
      const word = `espinaca${randomUUID().slice(0, 6)}`;
      const visible = await postReply(ana.agent, s.questionId, `La ${word} del mercado municipal.`);
      // More hidden matches than are ranked, all newer than the visible one (made in SQL: a thousand posts through HTTP would be slow).
      await t.dataSource.query(
        `INSERT INTO reply (id, question_id, forum_id, path, depth, author_id, body_source, body_html, language, state, state_reason, created_at)
         SELECT n.id, $1, $2, lpad(n.id::text, 8, '0'), 1, $3, $4, '<p>' || $4 || '</p>', 'es', 'hidden', 'Off topic', now() + interval '1 minute'
           FROM (SELECT nextval(pg_get_serial_sequence('reply', 'id')) AS id FROM generate_series(1, $5::int)) n`,
        [s.questionId, s.forumId, ana.account.id, `Otra ${word} escondida.`, RANKED_CANDIDATES + 5],
      );
      expect(await replyIds(reader.agent, word, s.forumId)).toEqual([visible.id]);
      expect(await replyIds(t.agent(), word, s.forumId)).toEqual([visible.id]);
      // A moderator reads hidden text: for them the newest matches are the hidden ones, twenty to a page.
      const modHits = await replyHits(moderator.agent, word, s.forumId);
      expect(modHits).toHaveLength(20);
      expect(modHits.every((h) => h.state === 'hidden')).toBe(true);
    });

    it('live questions: approved ones are found, pending ones and anonymous askers are not shown', async () => {
      const { session, mod } = await newOpenQa(t, { premoderation: true });
      const word = `remolacha${randomUUID().slice(0, 6)}`;
      const ask = async (body: string, anonymous = false) => (await ana.agent.post(`/api/sessions/${session.id}/qa/questions`).send({ body, anonymous }).expect(201)).body;
      const approved = await ask(`What about ${word} in schools?`);
      const anonymous = await ask(`Is ${word} affordable?`, true);
      await ask(`Pending ${word} question`);
      for (const q of [approved, anonymous]) expect((await mod.post(`/api/qa/questions/${q.id}/moderate`).send({ action: 'approve' })).status).toBe(200);
      const [group] = await search(reader.agent, { q: word, kind: 'live_question' });
      expect(group!.items.map((h) => [h.id, h.author?.id ?? null]).sort()).toEqual([[String(anonymous.id), null], [String(approved.id), ana.account.id]].sort());
      expect(group!.items[0]!.path).toBe(`/sessions/${session.slug}/qa`);
    });
  });

  describe('sessions, filters and paging', () => {
    it('finds sessions by title, city and topic, with the city filter accent-blind', async () => {
      const tag = randomUUID().slice(0, 6);
      const session = await newSession(t, { title: `Movilidad urbana sostenible ${tag}` });
      await t.dataSource.query(`UPDATE session SET cities = ARRAY['Bogotá', 'Lima'], topics = ARRAY['mobility'], languages = ARRAY['es', 'en'] WHERE id = $1`, [session.id]);
      const groups = await search(t.agent(), { q: `movilidad ${tag}`, kind: 'session' });
      expect(groups[0]!.items.map((h) => h.id)).toEqual([String(session.id)]);
      expect(groups[0]!.items[0]!.titleHtml).toContain('<mark>Movilidad</mark>');
      expect((await search(t.agent(), { q: tag, kind: 'session', city: 'bogota' }))[0]!.items).toHaveLength(1);
      expect((await search(t.agent(), { q: tag, kind: 'session', city: 'Quito' }))[0]!.items).toHaveLength(0);
      expect((await search(t.agent(), { q: `${tag} lima`, kind: 'session' }))[0]!.items).toHaveLength(1);
    });

    it('filters replies by author, city of the author, language and date', async () => {
      const s = await forumWithQuestion();
      const word = `berenjena${randomUUID().slice(0, 6)}`;
      const byAna = await postReply(ana.agent, s.questionId, `Nuestra ${word} municipal es un programa de huertos urbanos.`);
      const byReader = await postReply(reader.agent, s.questionId, `Our ${word} programme runs community gardens downtown.`);
      const ids = async (params: Record<string, string>) => (await search(reader.agent, { q: word, kind: 'reply', ...params }))[0]!.items.map((h) => h.id);
      expect((await ids({})).sort()).toEqual([byAna.id, byReader.id].sort());
      expect(await ids({ author: ana.account.id })).toEqual([byAna.id]);
      expect(await ids({ city: 'BOGOTA' })).toEqual([byAna.id]);
      expect(await ids({ language: 'en' })).toEqual([byReader.id]);
      expect(await ids({ language: 'es' })).toEqual([byAna.id]);
      expect(await ids({ from: '2000-01-01T00:00:00Z', to: '2001-01-01T00:00:00Z' })).toEqual([]);
      expect((await ids({ from: new Date(Date.now() - 3_600_000).toISOString() })).sort()).toEqual([byAna.id, byReader.id].sort());
    });

    it('pages one kind by cursor: every result once, in rank order', async () => {
      const s = await forumWithQuestion();
      const word = `alcachofa${randomUUID().slice(0, 6)}`;
      const posted = [];
      for (let i = 0; i < 7; i++) posted.push((await postReply(reader.agent, s.questionId, `${word} ${'repeated '.repeat(i)}note number ${i}`)).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const params: Record<string, string | number> = { q: word, kind: 'reply', limit: 3, ...(cursor ? { cursor } : {}) };
        const [group] = await search(reader.agent, params);
        seen.push(...group!.items.map((h) => h.id));
        cursor = group!.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect([...seen].sort()).toEqual([...posted].sort());
      expect(new Set(seen).size).toBe(7);
    });

    it('without kind: groups of the kinds that matched, five at most each', async () => {
      const word = `calabaza${randomUUID().slice(0, 6)}`;
      const s = await forumWithQuestion();
      await t.dataSource.query(`UPDATE question SET title = $2 WHERE id = $1`, [s.questionId, `The ${word} question`]);
      for (let i = 0; i < 6; i++) await postReply(reader.agent, s.questionId, `${word} answer ${i}`);
      const groups = await search(reader.agent, { q: word });
      expect(groups.map((g) => [g.kind, g.items.length, g.nextCursor !== null])).toEqual([['question', 1, false], ['reply', 5, true]]);
    });

    it('escapes the text around the marks', async () => {
      const s = await forumWithQuestion();
      await postReply(reader.agent, s.questionId, 'A <script>alert(1)</script> note on berries & jam when 2 < 3 "quoted" <img src=x onerror=alert(1)>');
      const [hit] = await replyHits(reader.agent, 'berries', s.forumId);
      expect(hit!.snippetHtml).not.toMatch(/<(?!\/?mark>)/);
      expect(hit!.snippetHtml).toContain('<mark>berries</mark> &amp; jam when 2 &lt; 3 &quot;quoted&quot;');
    });

    it.each([
      [{}, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: 'bike', kind: 'post' }, 'kind'],
      [{ q: 'bike', forum: 'abc' }, 'forum'],
      [{ q: 'bike', author: 'nobody' }, 'author'],
      [{ q: 'bike', language: 'de' }, 'language'],
      [{ q: 'bike', from: 'yesterday' }, 'from'],
      [{ q: 'bike', from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'to'],
      [{ q: 'bike', limit: 0 }, 'limit'],
      [{ q: 'bike', cursor: 'abc' }, 'cursor'],
      [{ q: 'bike', kind: 'reply', cursor: 'not-a-cursor' }, 'cursor'],
    ])('refuses %j naming %s', async (params, field) => {
      const res = await t.agent().get('/api/search').query(params);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });
});
