import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { clearApiCache } from './api.ts';
import { hasRole, restoreSession, signOut, useAuth, type Principal } from './auth.ts';
import { AccessLog } from './components/AccessLog.tsx';
import { EscalationPage } from './components/Escalation.tsx';
import { Inspector } from './components/Inspector.tsx';
import { Login } from './components/Login.tsx';
import { PathwayView } from './components/PathwayView.tsx';
import { ReportsPage } from './components/Reports.tsx';
import { REPORT_TEXTS } from './i18n-reports.ts';
import { WorklistPage } from './components/Worklist.tsx';
import type { Lang } from './graph.ts';
import { DICTIONARIES, LangContext, partyText, roleText, useLang, type Dict } from './i18n.ts';
import { useWorklistAlarms } from './notify.ts';
import { DEFAULT_PATHWAY, href, navigate, useRoute, type Route } from './router.ts';
import { useNow, useWorklist } from './useWorklist.ts';
import { urgentCount } from './worklist.ts';

// The simulator brings the engine (xstate, zod, the holiday calendar): loaded only when opened.
const Simulator = lazy(() => import('./components/Simulator.tsx'));
// The pathway editor (issue 6) is for process owners: loaded only when opened.
const VersionEditor = lazy(() => import('./components/VersionEditor.tsx').then((m) => ({ default: m.VersionEditor })));

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
        // The next user starts on their own start page, not on this user's last one.
        navigate({ page: 'home' }, true);
      }}>{t.logout}</button>
    </div>
  );
}

/** Where a user lands after signing in: staff on their worklist, process owners on the escalation view. */
function startPage(user: Principal): Route {
  if (user.roles.includes('staff')) return { page: 'att-gora', filters: {} };
  if (user.roles.includes('process_owner')) return { page: 'eskalering' };
  return { page: 'process', pathway: DEFAULT_PATHWAY, state: null };
}

/**
 * Staff: the unit's whole worklist, kept live for the menu's badge, the page title and the optional
 * notifications, on every page. `urgent` = overdue + due today.
 */
function useStaffWorklist(user: Principal | null, t: Dict, lang: Lang): number | null {
  const staff = user?.roles.includes('staff') ?? false;
  const worklist = useWorklist(staff && user ? user.id : null, {});
  const tick = useNow();
  const now = Math.max(tick, worklist.at ?? 0);
  useWorklistAlarms(staff ? worklist.data?.items ?? null : null, now, {
    title: (alarm) => `${alarm === 'overdue' ? t.wlNotifyOverdue : t.wlNotifySoon} – ${t.wlTitle}`,
    body: (item) => t.wlNotifyBody(lang === 'en' ? item.labelEn : item.label, item.rule, item.kommun),
  }, (item) => navigate({ page: 'arende', id: item.caseId, query: null }));
  return staff && worklist.data ? urgentCount(worklist.data.items, now) : null;
}

type NavLink = [Route['page'], string, string, number | null];

function Header({ route, user, demo, urgent }: { route: Route; user: Principal | null; demo: boolean; urgent: number | null }) {
  const { lang, t, setLang } = useLang();
  const owner = user?.roles.includes('process_owner') ?? false;
  const staff = user?.roles.includes('staff') ?? false;
  const links: NavLink[] = user ? [
    ...(staff ? [['att-gora', t.navWorklist, href({ page: 'att-gora', filters: {} }), urgent] as NavLink] : []),
    ...(owner ? [['eskalering', t.navEscalation, href({ page: 'eskalering' }), null] as NavLink] : []),
    ['process', t.navPathways, href({ page: 'process', pathway: route.page === 'process' ? route.pathway : DEFAULT_PATHWAY, state: null }), null],
    ['arende', t.navInspector, href({ page: 'arende', id: null, query: null }), null],
    ['simulator', t.navSimulator, href({ page: 'simulator' }), null],
    ...(owner ? [['rapporter', REPORT_TEXTS[lang].navReports, href({ page: 'rapporter', filters: {} }), null] as NavLink] : []),
    ...(owner ? [['logg', t.navAccessLog, href({ page: 'logg', filters: {} }), null] as NavLink] : []),
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
            {links.map(([page, label, target, count]) => (
              <li key={page}>
                <a href={target} aria-current={route.page === page ? 'page' : undefined}>
                  {label}
                  {count !== null && count > 0 && (
                    <>
                      <span className="nav-badge" aria-hidden="true">{count}</span>
                      <span className="sr-only">, {t.navWorklistCount(count)}</span>
                    </>
                  )}
                </a>
              </li>
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

  const user = session.status === 'signed-in' ? session.user : null;
  const urgent = useStaffWorklist(user, value.t, lang);

  // The empty address opens the user's start page.
  useEffect(() => {
    if (user && route.page === 'home') navigate(startPage(user), true);
  }, [user, route.page]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  // "(3) Att göra – Samverkan": the count of overdue and due-today rows shows in the tab.
  useEffect(() => {
    const t = DICTIONARIES[lang];
    const count = urgent ? `(${urgent}) ` : '';
    document.title = route.page === 'att-gora' ? `${count}${t.wlDocTitle} – Samverkan` : `${count}${t.appTitle} – ${t.appSubtitle}`;
  }, [lang, urgent, route.page]);

  return (
    <LangContext.Provider value={value}>
      <Header route={route} user={user} demo={session.status === 'signed-in' && session.demo} urgent={urgent} />
      {session.status === 'checking' && <main id="main" className="app-main"><p className="loading">{value.t.loading}</p></main>}
      {session.status === 'signed-out' && <main id="main" className="app-main page-login"><Login reason={session.reason} /></main>}
      {session.status === 'signed-in' && (
        // Keyed by user: nothing fetched for one user is shown to the next.
        <main key={session.user.id} id="main" className={`app-main page-${route.page}`}>
          {route.page === 'home' && <p className="loading">{value.t.loading}</p>}
          {route.page === 'att-gora' && <WorklistPage user={session.user} filters={route.filters} />}
          {route.page === 'eskalering' && <EscalationPage user={session.user} />}
          {route.page === 'process' && !route.edit && <PathwayView pathway={route.pathway} selected={route.state} version={route.version ?? null} />}
          {route.page === 'process' && route.edit && (
            <Suspense fallback={<p className="loading">{value.t.loading}</p>}>
              <VersionEditor pathway={route.pathway} selected={route.state} />
            </Suspense>
          )}
          {route.page === 'arende' && <Inspector id={route.id} query={route.query} />}
          {route.page === 'simulator' && (
            <Suspense fallback={<p className="loading">{value.t.loading}</p>}>
              <Simulator />
            </Suspense>
          )}
          {route.page === 'logg' && <AccessLog filters={route.filters} allowed={hasRole(session, 'process_owner')} />}
          {route.page === 'rapporter' && <ReportsPage user={session.user} params={route.filters} />}
        </main>
      )}
    </LangContext.Provider>
  );
}
