import { type FormEvent, useEffect, useState } from 'react';
import { type Session, devSignIn, devSignInRoles, sessionFromToken } from '../api';
import { useI18n } from '../i18n';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const { t, e } = useI18n();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [roles, setRoles] = useState<string[] | null>(null);
  useEffect(() => {
    void devSignInRoles().then(setRoles);
  }, []);

  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const s = sessionFromToken(token);
    if (!s) setError(t('invalidToken'));
    else onSignedIn(s);
  };
  const dev = (role: string) => {
    devSignIn(role).then(onSignedIn, (err: unknown) => setError(String(err)));
  };

  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{t('signInTitle')}</h1>
      <form onSubmit={submit}>
        <p>{t('signInIntro')}</p>
        <label htmlFor="token">{t('token')}</label>
        <textarea id="token" rows={4} value={token} onChange={(ev) => setToken(ev.target.value)} spellCheck={false} autoComplete="off" aria-describedby={error ? 'signin-error' : undefined} />
        {error && (
          <p id="signin-error" className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{t('signIn')}</button>
      </form>
      {roles && (
        <div className="devsignin">
          <h2>{t('devSignIn')}</h2>
          <div className="buttons">
            {roles.map((r) => (
              <button key={r} type="button" className="secondary" onClick={() => dev(r)} data-testid={`dev-sign-in-${r}`}>
                {t('devSignInAs')} {e(r)}
              </button>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
