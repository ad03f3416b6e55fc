/**
 * The discharge checklist (C-11, V-2, V-3): the ward's duties at discharge, worded with the
 * pathway's own parameters. Items are recorded with CONFIRM; they remind, they do not block.
 */
import type { ChecklistItem } from './events.ts';
import type { PathwayDefinition } from './definition.ts';

export interface ChecklistEntry {
  item: ChecklistItem;
  label: string;
  rule: string;
}

export function dischargeChecklist(definition: PathwayDefinition): ChecklistEntry[] {
  const p = definition.parameters;
  const vrm = definition.policy.region === 'vrm';
  return [
    { item: 'epikris', label: 'Epikris klar senast vid hemgång', rule: 'C-11' },
    { item: 'medication_list', label: 'Uppdaterad läkemedelslista skickas med', rule: 'C-11' },
    {
      item: 'medication_supply',
      label: p.medicationSupplyDays !== null
        ? `Läkemedel för ${p.medicationSupplyDays} dagar eller tills de kan hämtas ut på apotek`
        : 'Läkemedel i tillräcklig mängd för att undvika avbrott',
      rule: 'C-11',
    },
    { item: 'nutrition_supply', label: `Sondmat och näringsdryck för ${p.nutritionSupplyWeekdays} vardagar vid behov`, rule: 'C-11' },
    { item: 'transport_booked', label: 'Sjukresa bokad med ankomsttid vid behov', rule: 'C-11' },
    { item: 'home_arrival_agreed', label: 'Kommunen informerad om datum och tid för hemkomst', rule: 'C-11' },
    ...(vrm
      ? [
          { item: 'planning_documented', label: 'Planering inför utskrivning dokumenterad', rule: 'V-2' },
          { item: 'remiss_sent', label: 'Remiss skickad till regionens öppenvård', rule: 'V-2' },
        ] satisfies ChecklistEntry[]
      : []),
    ...(definition.policy.sipCallBeforeExpectedDischarge
      ? [{ item: 'staff_training', label: 'Utbildning av kommunens och öppenvårdens personal vid behov', rule: 'V-3' }] satisfies ChecklistEntry[]
      : []),
  ];
}
