import { mentionedAccountIds, MAX_MENTIONS } from './mentions.js';

describe('mentionedAccountIds', () => {
  const a = '0b1e2c3d-1111-4222-8333-444455556666';
  const b = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeffff0000';

  it('finds mentions as the autocomplete writes them, each once, in order', () => {
    expect(mentionedAccountIds(`Thanks @[Ana García](${a}) and @[Bo](${b}); again @[Ana](${a.toUpperCase()})`)).toEqual([a, b]);
  });

  it('ignores plain links, emails and bare names', () => {
    expect(mentionedAccountIds(`[Ana](${a}) ana@example.org @Ana @[Ana](not-an-id)`)).toEqual([]);
  });

  it('stops at the limit', () => {
    const ids = Array.from({ length: 30 }, (_, i) => `${String(i).padStart(8, '0')}-1111-4222-8333-444455556666`);
    expect(mentionedAccountIds(ids.map((id) => `@[x](${id})`).join(' '))).toHaveLength(MAX_MENTIONS);
  });
});
