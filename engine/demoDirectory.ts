/**
 * The demo region's units and users (synthetic): one ward per kind of care, the outpatient and
 * municipal units of one kommun in each region, each region's process owners and a developer.
 * `npm start` signs these in with the built-in demo key; a real region's identity provider puts
 * the same claims in its own tokens instead.
 */
import type { Principal, Unit } from './access.ts';

export const DEMO_UNITS = {
  sosAvd61: { id: 'sth-sos-avd61', name: 'Södersjukhuset, avdelning 61 (geriatrik)', party: 'slutenvard', region: 'sth', kommuner: [] },
  ksAvd23: { id: 'sth-ks-avd23', name: 'Karolinska Solna, avdelning 23 (ortopedi)', party: 'slutenvard', region: 'sth', kommuner: [] },
  vcSolna: { id: 'sth-vc-solna', name: 'Vårdcentralen Solna', party: 'oppenvard', region: 'sth', kommuner: ['Solna', 'Sundbyberg'] },
  solnaHsl: { id: 'sth-solna-hsl', name: 'Solna stad, kommunal hälso- och sjukvård', party: 'kommunal_hsl', region: 'sth', kommuner: ['Solna'] },
  solnaSoc: { id: 'sth-solna-soc', name: 'Solna stad, biståndsenheten', party: 'socialtjanst', region: 'sth', kommuner: ['Solna'] },
  sthProcess: { id: 'sth-processledning', name: 'Region Stockholm, processledning utskrivning', party: null, region: 'sth', kommuner: [] },
  cskPsyk: { id: 'vrm-csk-psyk', name: 'Psykiatriska kliniken, Centralsjukhuset Karlstad', party: 'slutenvard', region: 'vrm', kommuner: [] },
  rattspsyk: { id: 'vrm-rattspsyk', name: 'Rättspsykiatriska regionkliniken Värmland', party: 'slutenvard', region: 'vrm', kommuner: [] },
  ovKarlstad: { id: 'vrm-ov-karlstad', name: 'Öppenvårdspsykiatrin Karlstad', party: 'oppenvard', region: 'vrm', kommuner: ['Karlstad', 'Hammarö', 'Kil'] },
  karlstadHsl: { id: 'vrm-karlstad-hsl', name: 'Karlstads kommun, kommunal hälso- och sjukvård', party: 'kommunal_hsl', region: 'vrm', kommuner: ['Karlstad'] },
  karlstadSoc: { id: 'vrm-karlstad-soc', name: 'Karlstads kommun, socialtjänsten', party: 'socialtjanst', region: 'vrm', kommuner: ['Karlstad'] },
  vrmProcess: { id: 'vrm-processledning', name: 'Region Värmland, processägare psykiatri', party: null, region: 'vrm', kommuner: [] },
  utveckling: { id: 'samverkan-utveckling', name: 'Samverkan, utveckling', party: null, region: 'sth', kommuner: [] },
} as const satisfies Record<string, Unit>;

const u = DEMO_UNITS;

export const DEMO_USERS: Principal[] = [
  { id: 'demo-sara', name: 'Sara Sjöberg (sjuksköterska)', unit: u.sosAvd61, roles: ['staff'] },
  { id: 'demo-kalle', name: 'Kalle Kronberg (sjuksköterska)', unit: u.ksAvd23, roles: ['staff'] },
  { id: 'demo-olivia', name: 'Olivia Öberg (distriktssköterska)', unit: u.vcSolna, roles: ['staff'] },
  { id: 'demo-hanna', name: 'Hanna Holm (kommunsjuksköterska)', unit: u.solnaHsl, roles: ['staff'] },
  { id: 'demo-bosse', name: 'Bosse Berg (biståndshandläggare)', unit: u.solnaSoc, roles: ['staff'] },
  { id: 'demo-petra', name: 'Petra Persson (processägare)', unit: u.sthProcess, roles: ['process_owner'] },
  { id: 'demo-karin', name: 'Karin Kvist (skötare)', unit: u.cskPsyk, roles: ['staff'] },
  { id: 'demo-rasmus', name: 'Rasmus Rudh (sjuksköterska)', unit: u.rattspsyk, roles: ['staff'] },
  { id: 'demo-oskar', name: 'Oskar Olsson (case manager)', unit: u.ovKarlstad, roles: ['staff'] },
  { id: 'demo-malin', name: 'Malin Mattsson (kommunsjuksköterska)', unit: u.karlstadHsl, roles: ['staff'] },
  { id: 'demo-sven', name: 'Sven Strand (socialsekreterare)', unit: u.karlstadSoc, roles: ['staff'] },
  { id: 'demo-vera', name: 'Vera Vik (processägare)', unit: u.vrmProcess, roles: ['process_owner'] },
  { id: 'demo-dev', name: 'Dana Dev (utvecklare)', unit: u.utveckling, roles: ['developer'] },
];

/** The ward a demo case of `pathway` is admitted to. */
export function demoWard(pathway: string, pick: number): string {
  if (pathway === 'vrm-orange') return u.rattspsyk.id;
  if (pathway.startsWith('vrm')) return u.cskPsyk.id;
  return pick < 0.5 ? u.sosAvd61.id : u.ksAvd23.id;
}
