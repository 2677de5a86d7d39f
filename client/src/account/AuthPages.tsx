import { useState } from 'preact/hooks';
import { auth, LANGUAGES, type Language } from '../api.js';
import { ApiError } from '../api/client.js';
import { signedIn } from './account.js';
import { errorMessage, useTitle } from '../ui/common.js';
import { reauthenticateLive } from '../ui/use-follow.js';
import { language, t, type MessageKey } from '../i18n/index.js';
import { navigate, paths, safeNext, useLocation } from '../router.js';

interface FieldDef {
  name: string;
  label: MessageKey;
  type?: string;
  autocomplete: string;
  required?: boolean;
  hint?: MessageKey;
}

function useForm() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  return { busy, setBusy, error, setError };
}

function Field({ def, error }: { def: FieldDef; error?: string }) {
  const id = `f-${def.name}`;
  const describedBy = [def.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>{t(def.label)}</label>
      <input
        id={id}
        name={def.name}
        type={def.type ?? 'text'}
        autoComplete={def.autocomplete}
        required={def.required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      {def.hint && (
        <p id={`${id}-hint`} class="hint">
          {t(def.hint)}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="form-error">
          {error}
        </p>
      )}
    </div>
  );
}

function FormError({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  return (
    <div class="form-error panel" role="alert">
      {errorMessage(error)}
    </div>
  );
}

const fieldError = (error: unknown, name: string) => (error instanceof ApiError ? error.field(name) : undefined);

export function SignInPage() {
  useTitle(t('auth.signIn'));
  const loc = useLocation();
  const next = safeNext(loc.search.get('next'));
  const form = useForm();
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    form.setBusy(true);
    form.setError(null);
    try {
      const me = await auth.signIn(String(data.get('email') ?? ''), String(data.get('password') ?? ''));
      signedIn(me);
      reauthenticateLive();
      navigate(next, { replace: true });
    } catch (err) {
      form.setError(err as Error);
      form.setBusy(false);
    }
  };
  return (
    <section class="page auth-page">
      <h1 tabIndex={-1}>{t('auth.signInTitle')}</h1>
      <form class="panel form" onSubmit={submit} noValidate={false}>
        <FormError error={form.error} />
        <Field def={{ name: 'email', label: 'auth.email', type: 'email', autocomplete: 'username', required: true }} error={fieldError(form.error, 'email')} />
        <Field
          def={{ name: 'password', label: 'auth.password', type: 'password', autocomplete: 'current-password', required: true }}
          error={fieldError(form.error, 'password')}
        />
        <button type="submit" class="button" disabled={form.busy}>
          {form.busy ? t('loading') : t('auth.signIn')}
        </button>
      </form>
      <p>
        {t('auth.noAccount')} <a href={paths.signUp(next !== '/' ? next : undefined)}>{t('auth.signUp')}</a>
      </p>
      <p>
        <a href="/forgot-password">{t('reset.forgot')}</a>
      </p>
      <p class="hint">{t('auth.demoHint')}</p>
    </section>
  );
}

export function SignUpPage() {
  useTitle(t('auth.signUp'));
  const loc = useLocation();
  const next = safeNext(loc.search.get('next'));
  const form = useForm();
  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    form.setBusy(true);
    form.setError(null);
    try {
      const me = await auth.signUp({
        email: String(data.get('email') ?? ''),
        password: String(data.get('password') ?? ''),
        displayName: String(data.get('displayName') ?? ''),
        organisation: String(data.get('organisation') ?? '').trim() || undefined,
        language: (String(data.get('language') ?? language()) as Language) || 'en',
      });
      signedIn(me);
      reauthenticateLive();
      navigate(next, { replace: true });
    } catch (err) {
      form.setError(err as Error);
      form.setBusy(false);
    }
  };
  const fields: FieldDef[] = [
    { name: 'displayName', label: 'auth.displayName', autocomplete: 'name', required: true },
    { name: 'email', label: 'auth.email', type: 'email', autocomplete: 'email', required: true },
    { name: 'password', label: 'auth.password', type: 'password', autocomplete: 'new-password', required: true, hint: 'auth.passwordHint' },
    { name: 'organisation', label: 'auth.organisation', autocomplete: 'organization' },
  ];
  return (
    <section class="page auth-page">
      <h1 tabIndex={-1}>{t('auth.signUpTitle')}</h1>
      <form class="panel form" onSubmit={submit}>
        <FormError error={form.error} />
        {fields.map((f) => (
          <Field key={f.name} def={f} error={fieldError(form.error, f.name)} />
        ))}
        <div class="field">
          <label for="f-language">{t('auth.language')}</label>
          <select id="f-language" name="language" defaultValue={language()}>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`language.${l}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button" disabled={form.busy}>
          {form.busy ? t('loading') : t('auth.signUp')}
        </button>
      </form>
      <p>
        {t('auth.haveAccount')} <a href={paths.signIn(next !== '/' ? next : undefined)}>{t('auth.signIn')}</a>
      </p>
    </section>
  );
}
