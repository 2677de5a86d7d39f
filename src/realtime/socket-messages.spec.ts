import { describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { AppException } from '../common/app-exception.js';
import { SubscribeMessage } from './dto/socket-messages.dto.js';
import { parseMessage, RateLimited } from '../common/messages.js';
import { socketError } from './socket-messages.js';

const logger = new Logger('test');
logger.error = () => undefined;

describe('socket message validation', () => {
  it('accepts a valid message as its DTO', async () => {
    await expect(parseMessage(SubscribeMessage, { forumId: 3, lastSeq: 0 }, '{}')).resolves.toEqual(Object.assign(new SubscribeMessage(), { forumId: 3, lastSeq: 0 }));
  });

  it('names every bad or unknown field', async () => {
    const error = await parseMessage(SubscribeMessage, { forumId: 'x', extra: 1 }, '{}').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppException);
    expect((error as AppException).details).toEqual(
      expect.arrayContaining([
        { field: 'forumId', message: 'forumId must be a positive integer' },
        { field: 'extra', message: 'property extra should not exist' },
      ]),
    );
  });

  it('maps errors to the ack shape, hiding unexpected ones', () => {
    expect(socketError(new RateLimited(1_500, 'voting'), logger, 'x')).toEqual({
      error: { status: 429, code: 'rate_limited', message: 'You are voting too fast. Wait 2 s and try again.', retryAfterMs: 1_500 },
    });
    expect(socketError(new Error('secret internals'), logger, 'x')).toEqual({
      error: { status: 500, code: 'internal_error', message: expect.not.stringContaining('secret') },
    });
  });
});
