/**
 * Who is signed in: the bearer token (kept in sessionStorage, so it lives as long as the tab and
 * is never shared with other tabs), the user it names (GET /api/me) and whether the server runs in
 * demo mode. Any 401 from the API signs the user out and brings back the login screen.
 */
import { useSyncExternalStore } from 'react';
import type { Principal, Role } from '../../engine/access.ts';

export type { Principal, Role };

/** Where this tab keeps its token (sessionStorage); the benchmark puts one there before the page loads. */
export const TOKEN_KEY = 'samverkan.token';

export type AuthState =
  | { status: 'signed-out'; reason: string | null }
  | { status: 'checking' }
  | { status: 'signed-in'; user: Principal; demo: boolean };

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

/** `Authorization: Bearer …` when signed in, nothing otherwise. */
export function authHeader(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

let state: AuthState = getToken() ? { status: 'checking' } : { status: 'signed-out', reason: null };
const listeners = new Set<() => void>();

function set(next: AuthState): void {
  state = next;
  for (const l of [...listeners]) l();
}

export const auth = {
  get state(): AuthState {
    return state;
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export function useAuth(): AuthState {
  return useSyncExternalStore(auth.subscribe, () => state);
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

async function errorMessage(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as ErrorBody | null;
  return body?.error?.message ?? `${response.status} ${response.statusText}`;
}

/** Checks a token with GET /api/me and signs in with it; throws (and stays signed out) when it is refused. */
export async function signInWithToken(token: string): Promise<Principal> {
  const trimmed = token.trim().replace(/^Bearer\s+/i, '');
  const response = await fetch('/api/me', { headers: { Accept: 'application/json', Authorization: `Bearer ${trimmed}` } });
  if (!response.ok) {
    const message = await errorMessage(response);
    if (response.status === 401) signOut(message);
    throw new Error(message);
  }
  const me = (await response.json()) as { user: Principal; demo: boolean };
  storage()?.setItem(TOKEN_KEY, trimmed);
  set({ status: 'signed-in', user: me.user, demo: me.demo });
  return me.user;
}

/** Demo mode: a token for one of the built-in demo users. */
export async function demoSignIn(userId: string): Promise<Principal> {
  const response = await fetch('/api/demo/login', {
    method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify({ userId }),
  });
  if (!response.ok) throw new Error(await errorMessage(response));
  const { token } = (await response.json()) as { token: string };
  return signInWithToken(token);
}

/** At start: a token left in this tab is checked once before anything is shown. */
export async function restoreSession(): Promise<void> {
  const token = getToken();
  if (!token) {
    if (state.status !== 'signed-out') set({ status: 'signed-out', reason: null });
    return;
  }
  try {
    await signInWithToken(token);
  } catch (error) {
    // A refused token signed out already; a network error keeps the token for a retry.
    if (state.status === 'checking') set({ status: 'signed-out', reason: error instanceof Error ? error.message : String(error) });
  }
}

export function signOut(reason: string | null = null): void {
  storage()?.removeItem(TOKEN_KEY);
  if (state.status !== 'signed-out' || state.reason !== reason) set({ status: 'signed-out', reason });
}

/** Called by every API request that is answered 401: the token is no good any more. */
export function unauthorized(message: string): void {
  if (getToken() || state.status !== 'signed-out') signOut(message);
}

export const hasRole = (s: AuthState, role: Role): boolean => s.status === 'signed-in' && s.user.roles.includes(role);
