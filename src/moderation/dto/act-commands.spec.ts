import { describe, expect, it } from '@jest/globals';
import { AppException } from '../../common/app-exception.js';
import { HideReplyCommand, parseActCommand, SlowModeCommand } from './act-commands.js';

const refusal = async (raw: unknown) => {
  try {
    await parseActCommand(raw);
  } catch (error) {
    if (error instanceof AppException) return { status: error.status, code: error.code, fields: (error.details ?? []).map((d) => d.field) };
    throw error;
  }
  throw new Error(`${JSON.stringify(raw)} was accepted`);
};

describe('parseActCommand', () => {
  it('picks the act\'s class and keeps its fields (a small numeric reply id becomes a string)', async () => {
    const cmd = await parseActCommand({ act: 'reply.hide', replyId: 42, reason: '  Insulting  ' });
    expect(cmd).toBeInstanceOf(HideReplyCommand);
    expect(cmd).toEqual(Object.assign(new HideReplyCommand(), { act: 'reply.hide', replyId: '42', reason: 'Insulting' }));
  });

  it('takes null as "off" where an act allows it', async () => {
    expect(await parseActCommand({ act: 'question.slow_mode', questionId: 3, seconds: null })).toBeInstanceOf(SlowModeCommand);
    expect(await parseActCommand({ act: 'forum.settings', forumId: 1, flagThreshold: null })).toMatchObject({ flagThreshold: null });
  });

  it.each([
    ['no act', { replyId: '1' }, ['act']],
    ['an unknown act', { act: 'reply.explode', replyId: '1' }, ['act']],
    ['not an object', 'reply.hide', ['act']],
    ['a hide without its reason', { act: 'reply.hide', replyId: '1' }, ['reason']],
    ['a blank reason', { act: 'reply.hide', replyId: '1', reason: '   ' }, ['reason']],
    ['a reason of 501 characters', { act: 'reply.hide', replyId: '1', reason: 'x'.repeat(501) }, ['reason']],
    ['a field the act does not take', { act: 'reply.approve', replyId: '1', questionId: 2 }, ['questionId']],
    ['a bad reply id', { act: 'reply.unhide', replyId: 'abc' }, ['replyId']],
    ['slow mode without seconds', { act: 'question.slow_mode', questionId: 3 }, ['seconds']],
    ['slow mode of 0 seconds', { act: 'question.slow_mode', questionId: 3, seconds: 0 }, ['seconds']],
    ['an unknown outcome', { act: 'flags.resolve', replyId: '1', outcome: 'ignore' }, ['outcome']],
    ['silence until a time that is not one', { act: 'member.silence', forumId: 1, accountId: '6f1c2a4e-0d7b-4c1e-9a59-2f8e1d3b7c10', until: 'tomorrow' }, ['until']],
    ['silence until the past', { act: 'member.silence', forumId: 1, accountId: '6f1c2a4e-0d7b-4c1e-9a59-2f8e1d3b7c10', until: '2001-01-01T00:00:00Z' }, ['until']],
    ['silence for two years', {
      act: 'member.silence', forumId: 1, accountId: '6f1c2a4e-0d7b-4c1e-9a59-2f8e1d3b7c10', until: new Date(Date.now() + 2 * 366 * 86_400_000).toISOString(),
    }, ['until']],
  ])('refuses %s, naming the field', async (_what, raw, fields) => {
    expect(await refusal(raw)).toEqual({ status: 400, code: 'validation_failed', fields });
  });
});
