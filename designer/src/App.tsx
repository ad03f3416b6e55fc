import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { clearApiCache } from './api.ts';
import { hasRole, restoreSession, signOut, useAuth, type Principal } from './auth.ts';
import { AccessLog } from './components/AccessLog.tsx';
import { Inspector } from './components/Inspector.tsx';
import { Login } from './components/Login.tsx';
import { PathwayView } from './components/PathwayView.tsx';
import type { Lang } from './graph.ts';
import { DICTIONARIES, LangContext, partyText, roleText, useLang } from './i18n.ts';
import { href, useRoute, type Route } from './router.ts';

// The simulator brings the engine (xstate, zod, the holiday calendar): loaded only when opened.
const Simulator = lazy(() => import('./components/Simulator.tsx'));

function initialLang(): Lang {
  const stored = localStorage.getItem('samverkan.lang');
  return stored === 'en' ? 'en' : 'sv';
}

function SignedIn({ user }: { user: Principal }) {
  const { lang, t } = useLang();
  const roles = user.roles.map((r) => roleText(r, t)).join(', ');
  const party = user.unit.party ? partyText(user.unit.party, lang) : null;
  return (
    <div className="signed-in">
      <div className="signed-in-who" title={`${user.unit.name}${party ? ` (${party})` : ''}`}>
        <span className="sr-only">{t.signedInAs} </span>
        <strong className="signed-in-name">{user.name}</strong>
        <span className="signed-in-unit">{user.unit.name} · {roles}</span>
      </div>
      <button type="button" className="logout" onClick={() => {
        clearApiCache();
        signOut();
      }}>{t.logout}</button>
    </div>
  );
}

function Header({ route, user, demo }: { route: Route; user: Principal | null; demo: boolean }) {
  const { lang, t, setLang } = useLang();
  const owner = user?.roles.includes('process_owner') ?? false;
  const links: [Route['page'], string, string][] = user ? [
    ['process', t.navPathways, href({ page: 'process', pathway: route.page === 'process' ? route.pathway : 'sth-gul', state: null })],
    ['arende', t.navInspector, href({ page: 'arende', id: null, query: null })],
    ['simulator', t.navSimulator, href({ page: 'simulator' })],
    ...(owner ? [['logg', t.navAccessLog, href({ page: 'logg', filters: {} })] as [Route['page'], string, string]] : []),
  ] : [];
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">{lang === 'en' ? 'Skip to content' : 'Hoppa till innehållet'}</a>
      <div className="brand">
        <span className="brand-title">{t.appTitle}</span>
        <span className="brand-subtitle">{t.appSubtitle}</span>
      </div>
      {links.length > 0 && (
        <nav aria-label={lang === 'en' ? 'Main' : 'Huvudmeny'}>
          <ul className="main-nav">
            {links.map(([page, label, target]) => (
              <li key={page}><a href={target} aria-current={route.page === page ? 'page' : undefined}>{label}</a></li>
            ))}
          </ul>
        </nav>
      )}
      <div className="header-right">
        {demo && <span className="demo-badge" role="note" aria-label={t.demoNote}><strong>{t.demo}</strong> <span className="demo-badge-note">{t.demoNote}</span></span>}
        {user && <SignedIn user={user} />}
        <button type="button" className="lang-toggle" lang={lang === 'sv' ? 'en' : 'sv'} title={t.switchLanguageLabel} onClick={() => setLang(lang === 'sv' ? 'en' : 'sv')}>
          {t.switchLanguage}
        </button>
      </div>
    </header>
  );
}

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const route = useRoute();
  const session = useAuth();
  useEffect(() => {
    void restoreSession();
  }, []);
  useEffect(() => {
    if (session.status === 'signed-out') clearApiCache();
  }, [session.status]);
  const value = useMemo(() => ({
    lang,
    t: DICTIONARIES[lang],
    setLang: (next: Lang) => {
      localStorage.setItem('samverkan.lang', next);
      setLangState(next);
    },
  }), [lang]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${DICTIONARIES[lang].appTitle} – ${DICTIONARIES[lang].appSubtitle}`;
  }, [lang]);

  return (
    <LangContext.Provider value={value}>
      <Header route={route} user={session.status === 'signed-in' ? session.user : null} demo={session.status === 'signed-in' && session.demo} />
      {session.status === 'checking' && <main id="main" className="app-main"><p className="loading">{value.t.loading}</p></main>}
      {session.status === 'signed-out' && <main id="main" className="app-main page-login"><Login reason={session.reason} /></main>}
      {session.status === 'signed-in' && (
        // Keyed by user: nothing fetched for one user is shown to the next.
        <main key={session.user.id} id="main" className={`app-main page-${route.page}`}>
          {route.page === 'process' && <PathwayView pathway={route.pathway} selected={route.state} />}
          {route.page === 'arende' && <Inspector id={route.id} query={route.query} />}
          {route.page === 'simulator' && (
            <Suspense fallback={<p className="loading">{value.t.loading}</p>}>
              <Simulator />
            </Suspense>
          )}
          {route.page === 'logg' && <AccessLog filters={route.filters} allowed={hasRole(session, 'process_owner')} />}
        </main>
      )}
    </LangContext.Provider>
  );
}
