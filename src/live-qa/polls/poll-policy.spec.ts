import { describe, expect, it } from '@jest/globals';
import { answerProblem, foldWord } from './poll-policy.js';

describe('poll rules', () => {
  it('folds word-cloud answers case- and accent-insensitively', () => {
    expect(foldWord('Énergie')).toBe('energie');
    expect(foldWord('  ENERGIE  ')).toBe('energie');
    expect(foldWord('movilidad   URBANA')).toBe('movilidad urbana');
    expect(foldWord('Ça va')).toBe(foldWord('ca VA'));
    expect(foldWord('İstanbul')).toBe(foldWord('istanbul'));
  });

  it('takes only the answer its kind expects', () => {
    expect(answerProblem('single', 3, { choices: [2] })).toBeNull();
    expect(answerProblem('single', 3, { choices: [0, 1] })?.field).toBe('choices');
    expect(answerProblem('single', 3, { choices: [3] })?.message).toMatch(/0 to 2/);
    expect(answerProblem('multiple', 3, { choices: [0, 2] })).toBeNull();
    expect(answerProblem('multiple', 3, { choices: [1, 1] })?.message).toMatch(/repeat/);
    expect(answerProblem('rating', 0, { rating: 4 })).toBeNull();
    expect(answerProblem('rating', 0, { text: 'five' })?.field).toBe('rating');
    expect(answerProblem('word_cloud', 0, { text: 'x'.repeat(41) })?.field).toBe('text');
    expect(answerProblem('open_text', 0, { text: 'x'.repeat(300) })).toBeNull();
  });
});
