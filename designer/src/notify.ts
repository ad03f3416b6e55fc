/**
 * Optional browser notifications for the worklist: off until the user asks for them with the
 * page's button (the permission prompt is never shown unasked), kept on in this browser
 * (localStorage) until turned off. A notification names the duty, rule and place, never the
 * patient: it may show on a locked or shared screen.
 */
import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { WorklistItem } from './api.ts';
import { newAlarms, type Alarm } from './worklist.ts';

const KEY = 'samverkan.notify';

export type NotifyState = 'unsupported' | 'off' | 'on' | 'denied';

const listeners = new Set<() => void>();
const supported = () => typeof window !== 'undefined' && 'Notification' in window;

function read(): NotifyState {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  let wanted = false;
  try {
    wanted = localStorage.getItem(KEY) === '1';
  } catch {
    // Storage blocked: notifications stay off.
  }
  return wanted && Notification.permission === 'granted' ? 'on' : 'off';
}

let current: NotifyState = read();
function update(): void {
  const next = read();
  if (next === current) return;
  current = next;
  for (const l of [...listeners]) l();
}

export function useNotifyState(): NotifyState {
  return useSyncExternalStore((l) => {
    listeners.add(l);
    return () => listeners.delete(l);
  }, () => current);
}

/** Asks for permission (from a click) and turns notifications on if granted. */
export async function enableNotifications(): Promise<NotifyState> {
  if (!supported()) return 'unsupported';
  const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
  if (permission === 'granted') localStorage.setItem(KEY, '1');
  update();
  return current;
}

export function disableNotifications(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
  update();
}

export interface AlarmTexts {
  title(alarm: Alarm): string;
  body(item: WorklistItem): string;
}

/**
 * Watches the unit's whole worklist: a row that comes within an hour of its time limit, or passes
 * it, gives one notification (when they are on). What was already due when the list was first seen
 * gives none.
 */
export function useWorklistAlarms(items: WorklistItem[] | null, now: number, texts: AlarmTexts, onOpen: (item: WorklistItem) => void): void {
  const state = useNotifyState();
  const seen = useRef(new Map<string, Alarm | null>());
  const first = useRef(true);
  const latest = useRef({ texts, onOpen });
  latest.current = { texts, onOpen };
  useEffect(() => {
    if (!items) return;
    const alarms = newAlarms(items, now, seen.current, first.current);
    first.current = false;
    if (state !== 'on') return;
    for (const { item, alarm } of alarms) {
      try {
        const n = new Notification(latest.current.texts.title(alarm), { body: latest.current.texts.body(item), tag: `${item.id}:${alarm}`, lang: document.documentElement.lang });
        n.onclick = () => {
          window.focus();
          latest.current.onOpen(item);
          n.close();
        };
      } catch {
        // Some browsers allow notifications only from a service worker: the page's badge still counts.
      }
    }
  }, [items, now, state]);
}
