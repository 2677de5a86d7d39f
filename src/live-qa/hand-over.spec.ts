import { describe, expect, it } from '@jest/globals';
import { forumBodyOf, forumTitleOf } from './hand-over.js';

describe('hand-over texts', () => {
  it('titles a forum question with the live question, on one line, cut at 300 characters', () => {
    expect(forumTitleOf('  How is it\n funded?  ')).toBe('How is it funded?');
    const long = 'é'.repeat(500);
    expect([...forumTitleOf(long)]).toHaveLength(300);
    expect(forumTitleOf(long).endsWith('…')).toBe(true);
  });

  it('keeps the text, links back to the live Q&A and says how it was asked, without naming an anonymous asker', () => {
    const body = forumBodyOf({ id: 42, body: 'Who pays?', anonymous: true, votes: 1 }, { slug: 'mobility', title: 'Mobility [2026] *live*' });
    expect(body).toBe('Who pays?\n\n---\n\n*Asked anonymously, during the live Q&A of [Mobility \\[2026\\] \\*live\\*](/sessions/mobility/qa#question-42) · 1 vote*');
    expect(forumBodyOf({ id: 1, body: 'x', anonymous: false, votes: 3 }, { slug: 's', title: 'S' })).toContain('*Asked during the live Q&A of [S](/sessions/s/qa#question-1) · 3 votes*');
  });
});
