import { Logger } from '@nestjs/common';

/**
 * Collects what changed per session for a while, then hands it over once:
 * how vote counts and poll results reach a Q&A's screens without a message
 * per vote or answer. The first change of a session starts its timer;
 * changes until it fires join the same batch.
 */
export class Coalescer<K> {
  private readonly changedBySession = new Map<number, Set<K>>();
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private closing = false;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    private readonly delayMs: () => number,
    private readonly flush: (sessionId: number, keys: K[]) => Promise<void>,
  ) {}

  add(sessionId: number, key: K): void {
    if (this.closing) return;
    let changed = this.changedBySession.get(sessionId);
    if (!changed) this.changedBySession.set(sessionId, (changed = new Set()));
    changed.add(key);
    if (this.timers.has(sessionId)) return;
    const timer = setTimeout(() => void this.run(sessionId), this.delayMs());
    timer.unref();
    this.timers.set(sessionId, timer);
  }

  private async run(sessionId: number): Promise<void> {
    this.timers.delete(sessionId);
    const keys = [...(this.changedBySession.get(sessionId) ?? [])];
    this.changedBySession.delete(sessionId);
    if (!keys.length || this.closing) return;
    try {
      await this.flush(sessionId, keys);
    } catch (error) {
      // The next change, or a reload, brings them: what is sent is absolute.
      if (!this.closing) this.logger.warn(`Sending ${this.what} of session ${sessionId} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  close(): void {
    this.closing = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
