import { useEffect, useId, useState, type FormEvent } from 'react';
import { demoUsers, type DemoUser } from '../api.ts';
import { demoSignIn, signInWithToken } from '../auth.ts';
import { partyText, roleText, useLang, type Dict } from '../i18n.ts';

const REGIONS = ['sth', 'vrm'] as const;

function unitParty(party: string | null, lang: 'sv' | 'en', t: Dict): string {
  return party ? partyText(party, lang) : t.noParty;
}

/** The demo users by region, then by unit, in the order the server lists them. */
function groupUsers(users: DemoUser[]): { region: 'sth' | 'vrm'; units: { unit: DemoUser['unit']; users: DemoUser[] }[] }[] {
  return REGIONS.map((region) => {
    const units = new Map<string, { unit: DemoUser['unit']; users: DemoUser[] }>();
    for (const user of users.filter((u) => u.unit.region === region)) {
      const entry = units.get(user.unit.id) ?? { unit: user.unit, users: [] };
      entry.users.push(user);
      units.set(user.unit.id, entry);
    }
    return { region, units: [...units.values()] };
  }).filter((g) => g.units.length > 0);
}

function DemoUsers({ users, busy, onPick }: { users: DemoUser[]; busy: string | null; onPick(user: DemoUser): void }) {
  const { lang, t } = useLang();
  return (
    <section className="card demo-panel" aria-labelledby="demo-panel-title">
      <h2 id="demo-panel-title"><span className="demo-flag">{t.demoPanelTitle}</span></h2>
      <p>{t.demoPanelIntro}</p>
      <div className="demo-regions">
        {groupUsers(users).map(({ region, units }) => (
          <section key={region} className="demo-region" aria-labelledby={`demo-region-${region}`}>
            <h3 id={`demo-region-${region}`}>{region === 'sth' ? t.regionSth : t.regionVrm}</h3>
            <ul className="demo-units">
              {units.map(({ unit, users: members }) => (
                <li key={unit.id} className="demo-unit">
                  <div className="demo-unit-head" id={`demo-unit-${unit.id}`}>
                    <span className="demo-unit-name">{unit.name}</span>
                    <span className="demo-unit-party">{unitParty(unit.party, lang, t)}{unit.kommuner.length > 0 ? ` · ${unit.kommuner.join(', ')}` : ''}</span>
                  </div>
                  <ul className="demo-users">
                    {members.map((user) => (
                      <li key={user.id}>
                        <button type="button" className="demo-user" data-user-id={user.id} disabled={busy !== null} aria-busy={busy === user.id || undefined}
                          aria-describedby={`demo-unit-${unit.id}`} onClick={() => onPick(user)}>
                          <span className="demo-user-name">{user.name}</span>
                          <span className="role-chip">{user.roles.map((r) => roleText(r, t)).join(', ')}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </section>
  );
}

function TokenForm({ onToken, busy }: { onToken(token: string): void; busy: boolean }) {
  const { t } = useLang();
  const id = useId();
  const [token, setToken] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) onToken(token);
  };
  return (
    <form className="token-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.tokenTitle}</h2>
      <p className="muted" id={`${id}-help`}>{t.tokenIntro}</p>
      <label htmlFor={`${id}-token`}>{t.tokenLabel}</label>
      <textarea id={`${id}-token`} value={token} onChange={(e) => setToken(e.target.value)} rows={4} spellCheck={false} autoComplete="off"
        aria-describedby={`${id}-help`} required />
      <div className="form-actions">
        <button type="submit" disabled={busy || !token.trim()}>{busy ? t.signingIn : t.tokenSubmit}</button>
      </div>
    </form>
  );
}

/** Shown while nobody is signed in: the demo users in demo mode, a field for a token otherwise. */
export function Login({ reason }: { reason: string | null }) {
  const { t } = useLang();
  const [users, setUsers] = useState<DemoUser[] | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => {
    setLoadError(null);
    demoUsers().then(setUsers).catch((e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)));
  };
  useEffect(load, []);

  const attempt = (key: string, run: () => Promise<unknown>) => {
    setBusy(key);
    setError(null);
    run().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e))).finally(() => setBusy(null));
  };

  return (
    <div className="page login-page">
      <h1>{t.loginTitle}</h1>
      <p className="login-intro">{t.loginIntro}</p>
      {reason && !error && <p role="status" className="notice">{reason}</p>}
      {error && <p role="alert" className="error">{t.loginError}: {error}</p>}
      {loadError && (
        <p role="alert" className="error">
          {t.loadError}: {loadError} <button type="button" className="secondary" onClick={load}>{t.retry}</button>
        </p>
      )}
      {users === undefined && !loadError && <p className="loading">{t.loading}</p>}
      {users && <DemoUsers users={users} busy={busy} onPick={(user) => attempt(user.id, () => demoSignIn(user.id))} />}
      {users === null && (
        <div className="card">
          <TokenForm busy={busy !== null} onToken={(token) => attempt('token', () => signInWithToken(token))} />
        </div>
      )}
      {users && (
        <details className="card token-other">
          <summary>{t.tokenOther}</summary>
          <TokenForm busy={busy !== null} onToken={(token) => attempt('token', () => signInWithToken(token))} />
        </details>
      )}
    </div>
  );
}
