import type { EntityManager } from 'typeorm';
import type { DemoPerson } from './demo-forums.js';
import { recordQaAct } from '../../audit/audit-record.js';

/** The session whose live Q&A the demo shows open ("running now"), guests welcome. */
export const DEMO_LIVE_QA_SESSION = 'sustainable-urban-mobility';

interface DemoLiveQuestion {
  by: DemoPerson;
  body: string;
  state: 'approved' | 'answered' | 'pending';
  anonymous?: boolean;
  votes: DemoPerson[];
  highlighted?: boolean;
}

const QUESTIONS: DemoLiveQuestion[] = [
  { by: 'diego', body: 'How did you get bus operators to share real-time data with the city?', state: 'answered', votes: ['sophie', 'tendai', 'priya'] },
  { by: 'sophie', body: 'Which indicators do you use to decide where a new cycle lane goes first?', state: 'approved', votes: ['claire', 'lucas', 'member', 'mariem'], highlighted: true },
  { by: 'priya', body: 'What did the low-emission zone cost small businesses, and was there support for them?', state: 'approved', anonymous: true, votes: ['diego', 'tendai'] },
  { by: 'tendai', body: 'Can informal minibus networks be part of an integrated ticket?', state: 'approved', votes: ['mariem'] },
  { by: 'lucas', body: 'Is the mobility plan available in Portuguese?', state: 'pending', votes: [] },
];

/**
 * Opens the demo session's live Q&A with a few questions: one answered
 * (12 minutes in), one on screen, one anonymous, one awaiting approval.
 * Written with SQL inside the demo seed's transaction (like the forums);
 * votes go on one counter shard (readers sum the shards).
 */
export async function insertDemoLiveQa(m: EntityManager, sessionId: number, people: Record<DemoPerson, string>): Promise<number> {
  await m.query(`UPDATE session SET state = 'live' WHERE id = $1`, [sessionId]);
  await m.query(
    `INSERT INTO live_qa (session_id, state, allow_guests, started_at) VALUES ($1, 'open', true, now() - interval '25 minutes')`,
    [sessionId],
  );
  await m.query(`INSERT INTO session_moderator (session_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [sessionId, people.moderator]);
  await recordQaAct(m, { sessionId, actorId: people.moderator, action: 'open', after: { state: 'open' }, at: new Date(Date.now() - 25 * 60_000) });
  for (const [i, q] of QUESTIONS.entries()) {
    const [row]: { id: number }[] = await m.query(
      `INSERT INTO live_question (session_id, asker_id, anonymous, body, state, answered_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'answered' THEN now() - interval '13 minutes' END,
               now() - make_interval(mins => 22 - $6 * 3), now() - make_interval(mins => 22 - $6 * 3)) RETURNING id`,
      [sessionId, people[q.by], q.anonymous ?? false, q.body, q.state, i],
    );
    for (const voter of q.votes) await m.query(`INSERT INTO live_question_vote (question_id, voter_id) VALUES ($1, $2)`, [row.id, people[voter]]);
    if (q.votes.length) await m.query(`INSERT INTO live_question_counter (question_id, shard, votes) VALUES ($1, 0, $2)`, [row.id, q.votes.length]);
    if (q.highlighted) await m.query(`UPDATE live_qa SET highlighted_question_id = $2 WHERE session_id = $1`, [sessionId, row.id]);
  }
  return QUESTIONS.length;
}
