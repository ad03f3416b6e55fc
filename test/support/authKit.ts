/**
 * Identity for the tests: a key pair made once per test process, a server configured with its
 * public key exactly as a region would configure its identity provider (`mode: 'jwt'`), and
 * tokens for test principals. Units here serve every kommun the test cases use.
 */
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { eventAuthority, UNIT_PARTIES, type Principal, type Region, type UnitParty } from '../../engine/access.ts';
import { PATHWAY_IDS } from '../../machines/events.ts';
import { PATHWAYS } from '../../machines/pathways.ts';
import type { AuthConfig } from '../../server/auth.ts';

export const TEST_ISSUER = 'samverkan-test';
export const TEST_AUDIENCE = 'samverkan';

const keys = generateKeyPair('ES256', { extractable: true });

export async function testAuthConfig(): Promise<AuthConfig> {
  const { publicKey } = await keys;
  return { mode: 'jwt', publicKey, algorithms: ['ES256'], issuer: TEST_ISSUER, audience: TEST_AUDIENCE };
}

/** The public key as PEM, for a server started through the real entry point (environment). */
export async function testAuthEnv(): Promise<Record<string, string>> {
  const { publicKey } = await keys;
  return {
    SAMVERKAN_AUTH: 'jwt', SAMVERKAN_JWT_PUBLIC_KEY: await exportSPKI(publicKey), SAMVERKAN_JWT_ALGORITHMS: 'ES256',
    SAMVERKAN_JWT_ISSUER: TEST_ISSUER, SAMVERKAN_JWT_AUDIENCE: TEST_AUDIENCE,
  };
}

export const TEST_KOMMUNER = [
  'Solna', 'Sundbyberg', 'Stockholm', 'Nacka', 'Täby', 'Huddinge', 'Lidingö', 'Norrtälje', 'Södertälje', 'Järfälla',
  'Karlstad', 'Arvika', 'Kil', 'Hammarö', 'Torsby', 'Kristinehamn', 'Säffle',
];

/** The test ward: one unit id in both regions, so it is a party of every case the tests create. */
export const WARD_ID = 'test-avd';

export function staff(party: UnitParty, region: Region = 'sth', kommuner = TEST_KOMMUNER): Principal {
  return {
    id: `test-${party}-${region}`, name: `Test ${party}`,
    unit: { id: party === 'slutenvard' ? WARD_ID : `test-${party}`, name: `Testenhet ${party}`, party, region, kommuner: party === 'slutenvard' ? [] : kommuner },
    roles: ['staff'],
  };
}

export function processOwner(region: Region = 'sth'): Principal {
  return { id: `test-owner-${region}`, name: 'Test Processägare', unit: { id: `test-process-${region}`, name: 'Testregionens processledning', party: null, region, kommuner: [] }, roles: ['process_owner'] };
}

export function developer(): Principal {
  return { id: 'test-dev', name: 'Test Utvecklare', unit: { id: 'test-dev-unit', name: 'Testutveckling', party: null, region: 'sth', kommuner: [] }, roles: ['developer'] };
}

export async function tokenFor(principal: Principal, options: { expiresIn?: string | number; issuer?: string; key?: CryptoKey } = {}): Promise<string> {
  const { privateKey } = await keys;
  return new SignJWT({ name: principal.name, unit: principal.unit, roles: principal.roles })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(principal.id)
    .setIssuer(options.issuer ?? TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.key ?? privateKey);
}

const tokens = new Map<string, Promise<string>>();

/** `Authorization` header for a principal (tokens cached per principal). */
export async function authHeader(principal: Principal): Promise<Record<string, string>> {
  const key = JSON.stringify(principal);
  let token = tokens.get(key);
  if (!token) {
    token = tokenFor(principal);
    tokens.set(key, token);
  }
  return { authorization: `Bearer ${await token}` };
}

/**
 * Whose move an event is, for tests that drive whole cases over HTTP: the party the routine gives
 * it to (`eventAuthority` over the shipped pathways), the ward when anyone may record it.
 */
export function actingParty(event: unknown): UnitParty {
  if (typeof event !== 'object' || event === null || typeof (event as { type?: unknown }).type !== 'string') return 'slutenvard';
  for (const id of PATHWAY_IDS) {
    const authority = eventAuthority(PATHWAYS[id], event as { type: string });
    const party = authority?.parties.find((p): p is UnitParty => (UNIT_PARTIES as readonly string[]).includes(p));
    if (authority && !authority.anyParty && party) return party;
  }
  return 'slutenvard';
}
