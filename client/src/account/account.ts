import { auth, type Account, type Language } from '../api.js';
import { browserLanguage, rememberLanguage, setLanguage, storedLanguage } from '../i18n/index.js';
import { createStore } from '../store.js';

/** Who is signed in (undefined while the first check runs) and the interface language. */
export const account = createStore<Account | null | undefined>(undefined);
export const interfaceLanguage = createStore<Language>('en');
/** The account's language, offered after signing in when it differs from the one this page shows (null: nothing to offer). */
export const languageOffer = createStore<Language | null>(null);

function apply(lang: Language) {
  setLanguage(lang);
  interfaceLanguage.set(lang);
}

/** First choice: what the reader picked here; then their account; then the browser. */
export async function loadAccount(): Promise<void> {
  apply(storedLanguage() ?? browserLanguage());
  try {
    const me = await auth.me();
    account.set(me);
    if (me && !storedLanguage()) apply(me.language);
  } catch {
    account.set(null);
  }
}

/** Reads the account again after the settings page changed it (the header shows the new name at once). */
export async function refreshAccount(): Promise<void> {
  account.set(await auth.me());
}

/**
 * Signing in keeps the language the visitor was reading in (remembered in
 * this browser from now on) and offers the account's, rather than switching
 * the interface unasked.
 */
export function signedIn(me: Account): void {
  account.set(me);
  const shown = interfaceLanguage.get();
  if (me.language === shown) return;
  rememberLanguage(shown);
  languageOffer.set(me.language);
}

export async function signOut(): Promise<void> {
  try {
    await auth.signOut();
  } finally {
    account.set(null);
    languageOffer.set(null);
  }
}

// The server ended this sign-in (signed out elsewhere, password changed): show the visitor as signed out.
window.addEventListener('agora:session-ended', () => {
  auth.me().then(
    (me) => account.set(me),
    () => undefined,
  );
});

/** Switches the interface at once; remembered in this browser and, when signed in, on the account. */
export function chooseLanguage(lang: Language): void {
  languageOffer.set(null);
  rememberLanguage(lang);
  apply(lang);
  const me = account.get();
  if (me && me.language !== lang) {
    auth.setLanguage(lang).then(
      () => account.set({ ...me, language: lang }),
      () => undefined, // the local choice still holds
    );
  }
}
