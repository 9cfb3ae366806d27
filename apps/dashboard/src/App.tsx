import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type Session, gql, liveClient, loadSession, saveSession, setUnauthenticatedHandler, subscribe } from './api';
import { I18nContext, type Lang, initialLang, makeI18n, useI18n } from './i18n';
import { EVENTS_LIVE, HEAD, type RecordedEvent } from './queries';
import { type FeedItem, type Live, LiveContext, SessionContext, hrefFor, useLive, useRoute } from './state';
import { SignIn } from './pages/SignIn';
import { PortfolioPage } from './pages/Portfolio';
import { AgendaPage } from './pages/Agenda';
import { PartnershipPage } from './pages/Partnership';
import { LivePage } from './pages/LivePage';

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const i18n = useMemo(() => makeI18n(lang), [lang]);
  const [session, setSession] = useState<Session | null>(loadSession);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('appTitle');
    localStorage.setItem('ppl.lang', lang);
  }, [lang, i18n]);

  const signIn = useCallback((s: Session | null) => {
    saveSession(s);
    setSession(s);
  }, []);
  useEffect(() => {
    setUnauthenticatedHandler(() => signIn(null));
    return () => setUnauthenticatedHandler(null);
  }, [signIn]);

  return (
    <I18nContext.Provider value={i18n}>
      <a className="skip" href="#main">{i18n.t('skip')}</a>
      {session ? (
        <SessionContext.Provider value={session}>
          <LiveProvider session={session}>
            <Shell session={session} lang={lang} setLang={setLang} signOut={() => signIn(null)} />
          </LiveProvider>
        </SessionContext.Provider>
      ) : (
        <>
          <header className="topbar">
            <span className="brand">{i18n.t('appTitle')}</span>
            <LangSwitch lang={lang} setLang={setLang} />
          </header>
          <main id="main" tabIndex={-1}>
            <SignIn onSignedIn={signIn} />
          </main>
        </>
      )}
    </I18nContext.Provider>
  );
}

function LangSwitch({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  const { t } = useI18n();
  return (
    <div className="lang" role="group" aria-label={t('language')}>
      {(['nl', 'en'] as const).map((l) => (
        <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} lang={l}>
          {l === 'nl' ? 'NL' : 'EN'}
        </button>
      ))}
    </div>
  );
}

function Shell({ session, lang, setLang, signOut }: { session: Session; lang: Lang; setLang: (l: Lang) => void; signOut: () => void }) {
  const { t, e } = useI18n();
  const route = useRoute();
  const live = useLive();
  const mainRef = useRef<HTMLElement>(null);
  useEffect(() => {
    mainRef.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [route.page, route.page === 'partnership' ? route.id : '']);
  const nav: { page: 'portfolio' | 'agenda' | 'live'; label: string }[] = [
    { page: 'portfolio', label: t('navPortfolio') },
    { page: 'agenda', label: t('navAgenda') },
    { page: 'live', label: t('navLive') },
  ];
  return (
    <>
      <header className="topbar">
        <span className="brand">{t('appTitle')}</span>
        <nav aria-label="main">
          {nav.map((n) => (
            <a key={n.page} href={hrefFor({ page: n.page })} aria-current={route.page === n.page ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <span className={`status ${live.connected ? 'on' : 'off'}`} role="status" data-testid="live-status">
          <span aria-hidden="true">●</span> {live.connected ? t('live') : t('offline')}
        </span>
        <span className="who">
          {t('signedInAs')} <strong data-testid="signed-in-role">{e(session.role)}</strong> <span className="muted">({session.sub})</span>
        </span>
        <LangSwitch lang={lang} setLang={setLang} />
        <button type="button" className="secondary" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {route.page === 'portfolio' && <PortfolioPage />}
        {route.page === 'agenda' && <AgendaPage />}
        {route.page === 'live' && <LivePage />}
        {route.page === 'partnership' && <PartnershipPage key={route.id} id={route.id} />}
      </main>
    </>
  );
}

/** One subscription to every partnership event: pages reload when something is recorded. */
function LiveProvider({ session, children }: { session: Session; children: React.ReactNode }) {
  const [connected, setConnected] = useState(false);
  const [position, setPosition] = useState<number>();
  const [version, setVersion] = useState(0);
  const [feed, setFeed] = useState<FeedItem[]>([]);
  const client = useMemo(() => liveClient(session, setConnected), [session]);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    void gql<{ portfolio: { nodes: { position: number | null }[] } }>(session, HEAD)
      .then((d) => d.portfolio.nodes.reduce((max, n) => Math.max(max, n.position ?? 0), 0))
      .catch(() => 0)
      .then((after) => {
        if (cancelled) return;
        setPosition(after || undefined);
        stop = subscribe<{ events: { cursor: number; event: RecordedEvent & { streamId: string } } }>(
          client,
          EVENTS_LIVE,
          after ? { after } : {},
          ({ events }) => {
            const ev = events.event;
            setPosition((p) => Math.max(p ?? 0, events.cursor));
            setFeed((f) =>
              [
                {
                  position: events.cursor,
                  partnershipId: ev.streamId.replace(/^partnership-/, ''),
                  type: ev.type,
                  recordedAt: ev.recordedAt,
                  actor: ev.metadata.actor?.id ?? null,
                  data: ev.data,
                },
                ...f,
              ].slice(0, 100),
            );
            // A command records several events at once: reload once they have all arrived.
            if (timer) clearTimeout(timer);
            timer = setTimeout(() => setVersion((v) => v + 1), 150);
          },
        );
      });
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
      stop?.();
    };
  }, [client, session]);

  useEffect(() => () => void client.dispose(), [client]);

  const live: Live = useMemo(() => ({ client, connected, position, version, feed }), [client, connected, position, version, feed]);
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}
