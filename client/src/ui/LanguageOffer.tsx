import { interfaceLanguage, chooseLanguage, languageOffer } from '../account/account.js';
import { nativeLanguageName, t } from '../i18n/index.js';
import { useStore } from '../store.js';

/** After signing in: "Your account's language is Español. [Switch to Español] [Keep English]". */
export function LanguageOffer() {
  const offer = useStore(languageOffer);
  const shown = useStore(interfaceLanguage);
  if (!offer || offer === shown) return null;
  const language = nativeLanguageName(offer);
  return (
    <div class="banner banner-language" role="region" aria-label={t('lang.label')} data-testid="language-offer">
      <span>{t('lang.offer', { language })}</span>{' '}
      <button type="button" class="button small" lang={offer} onClick={() => chooseLanguage(offer)}>
        {t('lang.offerSwitch', { language })}
      </button>{' '}
      <button type="button" class="button small secondary" onClick={() => chooseLanguage(shown)}>
        {t('lang.offerKeep', { language: nativeLanguageName(shown) })}
      </button>
    </div>
  );
}
