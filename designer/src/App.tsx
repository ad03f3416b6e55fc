import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Inspector } from './components/Inspector.tsx';
import { PathwayView } from './components/PathwayView.tsx';
import type { Lang } from './graph.ts';
import { DICTIONARIES, LangContext, useLang } from './i18n.ts';
import { href, useRoute, type Route } from './router.ts';

// The simulator brings the engine (xstate, zod, the holiday calendar): loaded only when opened.
const Simulator = lazy(() => import('./components/Simulator.tsx'));

function initialLang(): Lang {
  const stored = localStorage.getItem('samverkan.lang');
  return stored === 'en' ? 'en' : 'sv';
}

function Header({ route }: { route: Route }) {
  const { lang, t, setLang } = useLang();
  const links: [Route['page'], string, string][] = [
    ['process', t.navPathways, href({ page: 'process', pathway: route.page === 'process' ? route.pathway : 'sth-gul', state: null })],
    ['arende', t.navInspector, href({ page: 'arende', id: null, query: null })],
    ['simulator', t.navSimulator, href({ page: 'simulator' })],
  ];
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">{lang === 'en' ? 'Skip to content' : 'Hoppa till innehållet'}</a>
      <div className="brand">
        <span className="brand-title">{t.appTitle}</span>
        <span className="brand-subtitle">{t.appSubtitle}</span>
      </div>
      <nav aria-label={lang === 'en' ? 'Main' : 'Huvudmeny'}>
        <ul className="main-nav">
          {links.map(([page, label, target]) => (
            <li key={page}><a href={target} aria-current={route.page === page ? 'page' : undefined}>{label}</a></li>
          ))}
        </ul>
      </nav>
      <div className="header-right">
        <span className="demo-badge" role="note" aria-label={t.demoNote}><strong>{t.demo}</strong> {t.demoNote}</span>
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
      <Header route={route} />
      <main id="main" className={`app-main page-${route.page}`}>
        {route.page === 'process' && <PathwayView pathway={route.pathway} selected={route.state} />}
        {route.page === 'arende' && <Inspector id={route.id} query={route.query} />}
        {route.page === 'simulator' && (
          <Suspense fallback={<p className="loading">{value.t.loading}</p>}>
            <Simulator />
          </Suspense>
        )}
      </main>
    </LangContext.Provider>
  );
}
