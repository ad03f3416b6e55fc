/** The parties of the routines (huvudmän and units) and the four phases of a pathway. */

export const PARTY_IDS = ['slutenvard', 'oppenvard', 'kommunal_hsl', 'socialtjanst', 'individ'] as const;
export type PartyId = (typeof PARTY_IDS)[number];

/** Parties that receive the admission notice and act on it. */
export const RECIPIENT_PARTIES = ['oppenvard', 'kommunal_hsl', 'socialtjanst'] as const;
export type RecipientParty = (typeof RECIPIENT_PARTIES)[number];

export const PARTY_LABELS: Record<PartyId, { sv: string; en: string }> = {
  slutenvard: { sv: 'Slutenvården', en: 'Inpatient care' },
  oppenvard: { sv: 'Öppenvården', en: 'Outpatient care' },
  kommunal_hsl: { sv: 'Kommunal hälso- och sjukvård', en: 'Municipal health care' },
  socialtjanst: { sv: 'Socialtjänsten', en: 'Social services' },
  individ: { sv: 'Den enskilde', en: 'The individual' },
};

export const PHASE_IDS = ['inskrivning', 'vardtid', 'utskrivningsklar', 'hemgang'] as const;
export type PhaseId = (typeof PHASE_IDS)[number];

export const PHASE_LABELS: Record<PhaseId, { sv: string; en: string }> = {
  inskrivning: { sv: 'Inskrivning', en: 'Admission' },
  vardtid: { sv: 'Vårdtid', en: 'Inpatient stay' },
  utskrivningsklar: { sv: 'Utskrivningsklar', en: 'Ready for discharge' },
  hemgang: { sv: 'Hemgång och uppföljning', en: 'Discharge and follow-up' },
};

export function isPartyId(value: unknown): value is PartyId {
  return typeof value === 'string' && (PARTY_IDS as readonly string[]).includes(value);
}
