import { describe, expect, it } from '@jest/globals';
import { slugify } from './session-lookup.js';

describe('slugify', () => {
  it.each([
    ['Challenges and opportunities of digitalisation in metropolitan spaces', 'challenges-and-opportunities-of-digitalisation-in-metropolitan-spaces'],
    ['Señales & Ciudades: Córdoba', 'senales-ciudades-cordoba'],
    ['Sustainable water management: key for citizen\u2019s wellbeing', 'sustainable-water-management-key-for-citizen-s-wellbeing'],
    ['  --Post-Pandemic Cities--  ', 'post-pandemic-cities'],
    ['???', 'session'],
  ])('%s -> %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts long titles at a word boundary within 120 characters', () => {
    const slug = slugify('word '.repeat(60));
    expect(slug.length).toBeLessThanOrEqual(120);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('uses the given fallback for titles without letters or digits', () => {
    expect(slugify('!!!', 'forum')).toBe('forum');
  });
});
