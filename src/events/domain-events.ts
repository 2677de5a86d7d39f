import { Injectable, Logger } from '@nestjs/common';
import type { ForumEvent, StreamEvent } from './forum-event.js';

/**
 * What happened, once it has committed, for features that react to other
 * features' writes (notifications). Core declares only the streams it owns;
 * a feature adds its own events by augmenting the map where it emits them:
 *
 * ```ts
 * declare module '../events/domain-events.js' {
 *   interface DomainEventMap { 'invitation.accepted': { forumId: number; … } }
 * }
 * ```
 *
 * so events flow feature → core → subscribers and core imports no feature.
 */
export interface DomainEventMap {
  /** Forum events, after their write committed (every forum write publishes through ForumEventsService). */
  'forum.events': ForumEvent[];
  /** Live Q&A events of one session, after commit. */
  'qa.events': StreamEvent[];
}

export type DomainEventName = keyof DomainEventMap;
export type DomainEventHandler<K extends DomainEventName> = (event: DomainEventMap[K]) => void | Promise<void>;

/**
 * The subscription. Handlers run after the emitter's commit, off its path:
 * a slow or failing subscriber never delays or fails the write that caused
 * the event (failures are logged).
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger('DomainEvents');
  private readonly handlers = new Map<DomainEventName, Set<DomainEventHandler<never>>>();

  on<K extends DomainEventName>(name: K, handler: DomainEventHandler<K>): () => void {
    const set = this.handlers.get(name) ?? new Set();
    set.add(handler as DomainEventHandler<never>);
    this.handlers.set(name, set);
    return () => set.delete(handler as DomainEventHandler<never>);
  }

  /** Call after commit only. */
  emit<K extends DomainEventName>(name: K, event: DomainEventMap[K]): void {
    for (const handler of this.handlers.get(name) ?? []) {
      queueMicrotask(() => {
        Promise.resolve()
          .then(() => (handler as DomainEventHandler<K>)(event))
          .catch((error: unknown) => this.logger.error(`A subscriber of ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
      });
    }
  }
}
