import { describe, expect, it } from '@jest/globals';
import type { QuestionState } from './question.entity.js';
import { canSeeQuestion, questionAudience, shownQuestionsCondition } from './question-visibility.js';

const STATES: QuestionState[] = ['published', 'proposed', 'rejected'];
const AUTHOR = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
const question = (state: QuestionState) => ({ state, author_id: AUTHOR });

describe('question visibility', () => {
  it('shows readers published questions, proposals and rejected ones to their author and the moderators only', () => {
    const seen = (viewer: { canModerate: boolean; accountId: string | null }) => STATES.filter((s) => canSeeQuestion(viewer, question(s)));
    expect(seen({ canModerate: false, accountId: null })).toEqual(['published']);
    expect(seen({ canModerate: false, accountId: OTHER })).toEqual(['published']);
    expect(seen({ canModerate: false, accountId: AUTHOR })).toEqual(STATES);
    expect(seen({ canModerate: true, accountId: null })).toEqual(STATES);
    // A proposal whose author's account is gone reaches the moderators only.
    expect(canSeeQuestion({ canModerate: false, accountId: null }, { state: 'proposed', author_id: null })).toBe(false);
  });

  it('says the same in SQL and in event audiences', () => {
    expect(shownQuestionsCondition({ canModerate: true }, 'q', '$2')).toBe('TRUE');
    expect(shownQuestionsCondition({ canModerate: false }, 'q')).toBe(`q.state = 'published'`);
    expect(shownQuestionsCondition({ canModerate: false }, 'q', '$2')).toBe(`(q.state = 'published' OR q.author_id = $2)`);
    expect(questionAudience(question('published'))).toEqual({ kind: 'readers' });
    expect(questionAudience(question('proposed'))).toEqual({ kind: 'moderators_and_account', accountId: AUTHOR });
    expect(questionAudience(question('rejected'))).toEqual({ kind: 'moderators_and_account', accountId: AUTHOR });
    expect(questionAudience({ state: 'proposed', author_id: null })).toEqual({ kind: 'moderators' });
  });
});
