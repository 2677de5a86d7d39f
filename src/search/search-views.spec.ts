import { initialsOf } from '../people/people.service.js';
import { MARK_START, MARK_STOP } from './search-sql.js';
import { highlightedHtml } from './search-views.js';

describe('highlightedHtml', () => {
  const marked = (s: string) => `${MARK_START}${s}${MARK_STOP}`;

  it('escapes the text and marks only the matched words', () => {
    expect(highlightedHtml(`<img src=x onerror=alert(1)> ${marked('ciclovías')} & "co"`)).toBe(
      '&lt;img src=x onerror=alert(1)&gt; <mark>ciclovías</mark> &amp; &quot;co&quot;',
    );
  });

  it('drops stray marks instead of leaving a tag open', () => {
    expect(highlightedHtml(`${MARK_START}open ${marked('word')} close${MARK_STOP}`)).toBe('open <mark>word</mark> close');
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first two words', () => {
    expect(initialsOf('Ana María García')).toBe('AM');
    expect(initialsOf('  élodie ')).toBe('É');
    expect(initialsOf('(Li) Wei')).toBe('LW');
    expect(initialsOf('***')).toBe('?');
  });
});
