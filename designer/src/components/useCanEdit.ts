import { useAuth } from '../auth.ts';

/** Whether the signed-in user may edit the pathway: a process owner of its region (issue 6). */
export function useCanEdit(pathway: string): boolean {
  const session = useAuth();
  if (session.status !== 'signed-in') return false;
  return session.user.roles.includes('process_owner') && session.user.unit.region === pathway.split('-')[0];
}
