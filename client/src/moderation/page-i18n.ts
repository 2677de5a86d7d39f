import en from './page-messages.en.js';
import es from './page-messages.es.js';
import fr from './page-messages.fr.js';
import { translator } from './i18n.js';

/** The moderation pages' text (queue, record, forum settings); see i18n.ts. */
export type PageKey = keyof typeof en;
export const { t: tp, tn: tpn, has: hasPageKey } = translator({ en, es, fr });
