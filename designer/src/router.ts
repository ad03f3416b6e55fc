/**
 * Hash routes: #/att-gora[?pathway=…&kommun=…&due=today|overdue], #/eskalering, #/process/<id>[?state=…],
 * #/arende[/<id>][?q=…], #/simulator, #/logg[?caseId=…&userId=…], #/rapporter[?period=…&kommun=…]. An empty address is `home`: the
 * signed-in user's start page (App decides which).
 */
import { useEffect, useState } from 'react';

export interface WorklistFilters {
  pathway?: string;
  kommun?: string;
  due?: 'today' | 'overdue';
}

export type Route =
  | { page: 'home' }
  | { page: 'att-gora'; filters: WorklistFilters }
  | { page: 'eskalering' }
  | { page: 'process'; pathway: string; state: string | null; edit?: boolean; version?: number | null }
  | { page: 'arende'; id: string | null; query: string | null }
  | { page: 'simulator' }
  | { page: 'logg'; filters: Record<string, string> }
  | { page: 'rapporter'; filters: Record<string, string> };

export const DEFAULT_PATHWAY = 'sth-gul';

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'att-gora') {
    const due = params.get('due');
    return {
      page: 'att-gora',
      filters: {
        ...(params.get('pathway') ? { pathway: params.get('pathway')! } : {}),
        ...(params.get('kommun') ? { kommun: params.get('kommun')! } : {}),
        ...(due === 'today' || due === 'overdue' ? { due } : {}),
      },
    };
  }
  if (parts[0] === 'eskalering') return { page: 'eskalering' };
  if (parts[0] === 'arende') return { page: 'arende', id: parts[1] ?? null, query: params.get('q') };
  if (parts[0] === 'simulator') return { page: 'simulator' };
  if (parts[0] === 'logg') return { page: 'logg', filters: Object.fromEntries([...params.entries()].filter(([, v]) => v !== '')) };
  if (parts[0] === 'rapporter') return { page: 'rapporter', filters: Object.fromEntries([...params.entries()].filter(([, v]) => v !== '')) };
  // #/process/<id>/edit: the draft (process owners); ?version=N: an older version, read-only.
  const version = Number(params.get('version'));
  return {
    page: 'process', pathway: parts[0] === 'process' && parts[1] ? parts[1] : DEFAULT_PATHWAY, state: params.get('state'),
    ...(parts[0] === 'process' && parts[2] === 'edit' ? { edit: true } : {}),
    ...(Number.isSafeInteger(version) && version > 0 ? { version } : {}),
  };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'att-gora': {
      const search = new URLSearchParams(Object.entries(route.filters).filter(([, v]) => v)).toString();
      return `#/att-gora${search ? `?${search}` : ''}`;
    }
    case 'eskalering':
      return '#/eskalering';
    case 'process': {
      const search = new URLSearchParams([...(route.version ? [['version', String(route.version)]] : []), ...(route.state ? [['state', route.state]] : [])]).toString();
      return `#/process/${encodeURIComponent(route.pathway)}${route.edit ? '/edit' : ''}${search ? `?${search}` : ''}`;
    }
    case 'arende':
      return `#/arende${route.id ? `/${encodeURIComponent(route.id)}` : ''}${route.query ? `?q=${encodeURIComponent(route.query)}` : ''}`;
    case 'simulator':
      return '#/simulator';
    case 'logg': {
      const search = new URLSearchParams(Object.entries(route.filters).filter(([, v]) => v !== '')).toString();
      return `#/logg${search ? `?${search}` : ''}`;
    }
    case 'rapporter': {
      const search = new URLSearchParams(Object.entries(route.filters).filter(([, v]) => v !== '')).toString();
      return `#/rapporter${search ? `?${search}` : ''}`;
    }
  }
}

export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    window.addEventListener('popstate', update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
