import { createStore } from './store.js';

/**
 * The live connection's state, kept apart from live.ts so the page frame can
 * show the banner without loading the socket client on every page.
 */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected';

export const connection = createStore<ConnectionState>('idle');
/** True once the socket has connected at least once (the banner only shows after that). */
export const everConnected = createStore(false);
/** Set for a moment after a reconnection caught the page up. */
export const caughtUp = createStore(false);
