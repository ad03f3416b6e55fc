/**
 * The rule catalogue: every rule of the two regional routines that the engine encodes, with the
 * routine's own sentence (Swedish), the party that owns it and an English summary. Machines,
 * guards, deadlines, blockers, the designer and the tests cite these ids; the catalogue test
 * fails when an id here is cited by no test.
 *
 * Sources: STH = Region Stockholm/Storsthlm, "Rutin för samverkan vid utskrivning från somatisk
 * slutenvård", 3rd ed. VRM = Region Värmland, "Riktlinje för samverkan vid utskrivning".
 */
import type { PartyId } from './parties.ts';

export type RuleSource = 'STH' | 'VRM' | 'STH+VRM' | 'lag 1930:173' | 'avtal';

export interface Rule {
  id: string;
  title: string;
  /** The routine's sentence, as staff read it. */
  sentence: string;
  /** English summary for developers and English-language UI. */
  summary: string;
  party: PartyId | 'kommun' | 'alla';
  source: RuleSource;
}

const rule = (
  id: string,
  party: Rule['party'],
  source: RuleSource,
  title: string,
  sentence: string,
  summary: string,
): Rule => ({ id, party, source, title, sentence, summary });

export const RULES: readonly Rule[] = [
  // Common rules (both routines)
  rule('C-1', 'slutenvard', 'STH+VRM', 'Inskrivningsmeddelande inom 24 timmar',
    'Skicka inskrivningsmeddelande till berörda enheter senast 24 timmar efter inskrivning på slutenvårdsavdelning (omfattar inte eventuell vårdtid på akuten innan inskrivning på vårdavdelning) eller senast 24 timmar efter att bedömning gjorts om att den enskilde kommer att ha behov av insatser efter utskrivning.',
    'The admission notice goes to the concerned units within 24 hours of admission to the ward, or of the doctor\'s later assessment that insatser will be needed.'),
  rule('C-2', 'kommun', 'STH+VRM', 'Kvittens inom 24 timmar på vardagar',
    'Kommunen ska kvittera mottaget inskrivningsmeddelande inom 24 timmar på vardagar och informera slutenvården och öppenvården om den enskildes befintliga insatser (Värmland: i Statusmeddelande inför inskrivning).',
    'Recipients acknowledge the admission notice within 24 weekday hours and report existing insatser.'),
  rule('C-3', 'oppenvard', 'STH+VRM', 'Fast vårdkontakt',
    'Verksamhetschefen på den enhet som har tagit emot inskrivningsmeddelandet ansvarar för att utse en namngiven fast vårdkontakt inom 24 timmar på vardagar (Värmland: utan dröjsmål). För individer med livshotande tillstånd ska en legitimerad läkare utses som fast vårdkontakt.',
    'The receiving öppenvård unit appoints a named care contact (24 weekday hours in STH, without delay in VRM); a licensed physician when the condition is life-threatening.'),
  rule('C-4', 'slutenvard', 'STH+VRM', 'Beräknat utskrivningsdatum',
    'Den beräknade tidpunkten för utskrivning ska vid behov justeras och bekräftas utifrån bedömning av den enskildes hälsotillstånd, och ett nytt beräknat utskrivningsdatum ska meddelas till berörda enheter.',
    'The expected discharge date is set at admission, adjusted when the assessment changes, and every change is communicated.'),
  rule('C-5', 'slutenvard', 'STH+VRM', 'Utskrivningsklar',
    'Utskrivningsklar innebär, förutom att läkare bedömt individen som utskrivningsklar, att: individen har fått skriftlig information (3 kap. patientlagen); fast vårdkontakt har utsetts i regionens öppenvård; väsentlig information har överförts till enheter som har fått inskrivningsmeddelande; hjälpmedel och medicintekniska produkter som regionen är ansvarig för är tillgängliga.',
    'Ready for discharge requires (a) written information given, (b) a care contact appointed, (c) essential information transferred, (d) the region\'s aids available.'),
  rule('C-6', 'slutenvard', 'STH+VRM', 'Återkallat utskrivningsklar',
    'Om den enskildes tillstånd förändras kan meddelandet om utskrivningsklar återkallas för att senare skickas om. Om det preliminära utskrivningsdatumet inte längre gäller ska berörda enheter meddelas omgående.',
    'A ready notice can be revoked and sent again later; a new expected date is communicated at once.'),
  rule('C-7', 'slutenvard', 'STH+VRM', 'Avliden under vårdtiden',
    'Om den enskilde har avlidit under vårdtiden ska detta omgående meddelas till berörda enheter så att de kan avsluta ärendet.',
    'If the individual dies during the stay the units are told at once and the case closes.'),
  rule('C-8', 'oppenvard', 'STH+VRM', 'Uppföljning inom två vardagar',
    'Fast vårdkontakt tar kontakt med individen (eller vid behov med närstående eller ansvarig personal) inom två vardagar efter utskrivning, för att följa upp hur individen mår. Om behov av samordnad planering uppmärksammas kalla till SIP.',
    'After discharge the care contact follows up within two weekdays; kommun starts or resumes insatser.'),
  rule('C-9', 'alla', 'STH+VRM', 'Byte av process',
    'Om den enskildes hälsotillstånd förändras under vårdtiden förändras också planeringsprocessen och behovet av samordning av de insatser som behövs.',
    'A running case moves to another pathway of the same routine when needs change, keeping its history.'),
  rule('C-10', 'individ', 'STH+VRM', 'Frivillighet',
    'Den regionfinansierade hälso- och sjukvården, den kommunalt finansierade hälso- och sjukvården och socialtjänsten är frivillig. Detta innebär att en individ kan säga nej till föreslagna insatser och/eller till att delta på en SIP.',
    'Care and social services are voluntary: a refusal of insatser or a SIP is recorded and changes what is required.'),
  rule('C-11', 'slutenvard', 'STH+VRM', 'Vid utskrivning',
    'Epikriser ska vara klara senast i samband med hemgång. Uppdaterad läkemedelslista skickas med individen. Läkemedel ska finnas tillgängliga i tre dagar eller fram till dess att förskrivna läkemedel kan hämtas ut på apotek. Sondmat och näringsdryck för fem vardagar. Vid behov av sjukresor bokas vilken tid individen ska ankomma till hemmet. Informera kommunen om datum och tidpunkt för utskrivning.',
    'At discharge: epikris, medication list, medicine for the pharmacy gap (three days in STH), nutrition for five weekdays, transport with arrival time, kommun told the date and time.'),

  // Information, consent and secrecy
  rule('I-1', 'slutenvard', 'STH', 'Inskrivningsmeddelande utan samtycke',
    'Sekretess hindrar inte att slutenvården lämnar uppgifter genom ett inskrivningsmeddelande som endast innehåller namn, personnummer, folkbokföringsadress och beräknad tidpunkt för utskrivning.',
    'Without consent the admission notice may carry only name, personnummer, address and expected discharge time.'),
  rule('I-2', 'slutenvard', 'STH+VRM', 'Samtycke och menprövning',
    'Inhämta samtycke om informationsutbyte mellan berörda enheter. Om samtycke inte kan inhämtas på grund av den enskildes hälsotillstånd görs en menprövning för att pröva om personuppgifter kan röjas utan att det är till men för den som uppgifterna rör eller dennes närstående.',
    'Consent is collected at admission; when the individual cannot consent, a menprövning decides disclosure.'),
  rule('I-3', 'alla', 'STH', 'Inget informationsutbyte',
    'Om samtycke inte har lämnats och menprövning visar att uppgifter ej kan lämnas ut: Ingen övrig information om individens behov av vård, omsorg och stöd får utbytas mellan berörda parter. Information får heller inte överföras mellan socialtjänsten och den kommunala hälso- och sjukvården. Upprättas ingen SIP.',
    'Without consent and with a negative menprövning no information about needs flows between parties, and no SIP is called or established.'),
  rule('I-4', 'individ', 'STH', 'Återkallat samtycke',
    'Den enskilde kan när som helst återkalla sitt samtycke. Återkallat samtycke dokumenteras i journalen.',
    'Consent can be withdrawn at any time and applies from then on.'),
  rule('I-5', 'oppenvard', 'STH', 'Samtycke till SIP',
    'Samtycke från den enskilde krävs även för kallelse till och upprättande av SIP. För hälso- och sjukvårdens del krävs samtycke eller menprövning för informationsutbyte och kallelse till SIP. Informationsdelning med närstående kräver den enskildes samtycke.',
    'Consent is required to call and establish a SIP, and to inform närstående.'),

  // Region Stockholm (somatic)
  rule('S-1', 'slutenvard', 'STH', 'Grå: omfattas inte av lagen',
    'Omfattas inte av lagen om samverkan. Inget inskrivningsmeddelande ska skickas. Fast vårdkontakt utses inte. Det föreligger inget krav på att en SIP ska erbjudas.',
    'GRÅ: no admission notice, no care contact, no SIP requirement.'),
  rule('S-2', 'slutenvard', 'STH', 'Blå: en huvudman',
    'Vid behov av enbart insatser från öppenvården skickas endast inskrivningsmeddelandet till berörda enheter i öppenvården. Vid behov av insatser från kommunen skickas inskrivningsmeddelandet till socialtjänsten och till öppenvården, för kännedom. Fast vårdkontakt ska utses vid behov av insatser från öppenvården. SIP ska erbjudas om den enskilde har insatser från kommunen.',
    'BLÅ routing: öppenvård-only needs → notice to öppenvård only; kommun needs → kommun, and öppenvård for information. FVK only with öppenvård insatser; SIP offered with kommun insatser.'),
  rule('S-3', 'oppenvard', 'STH', 'Grön, gul, röd: båda huvudmännen',
    'Inskrivningsmeddelande skickas till berörda enheter inom kommunen och öppenvården. Öppenvården ska vid mottaget inskrivningsmeddelande utse en fast vårdkontakt och meddela berörda enheter inom 24 timmar på vardagar. Den fasta vårdkontakten kallar till SIP förutsatt att den enskilde har givit samtycke eller en menprövning gjorts.',
    'GRÖN/GUL/RÖD: notice to kommun and öppenvård; FVK within 24 weekday hours; the FVK calls the SIP given consent or menprövning.'),
  rule('S-4', 'oppenvard', 'STH', 'Röd: inledande SIP på sjukhus',
    'Inledande SIP upprättas på sjukhus innan utskrivning om den enskilde har gett samtycke till detta. Den fasta vårdkontakten ska meddela berörda enheter om behov av inledande SIP på sjukhus och ge förslag på datum och tid. Vid mötet beslutas om datum, tid och plats för uppföljande SIP.',
    'RÖD: an initial SIP is held at the hospital before discharge, given consent; the follow-up date is decided at the meeting.'),
  rule('S-5', 'oppenvard', 'STH', 'Kallelse till SIP senast tre dagar',
    'Den fasta vårdkontakten har kallat till SIP senast tre dagar efter meddelande om att den enskilde är utskrivningsklar och har behov av insatser från de båda huvudmännen. Kallelsen ska helst skickas innan den enskilde skrivs ut.',
    'The SIP call goes out preferably before discharge and at the latest three days after the ready notice.'),
  rule('S-6', 'slutenvard', 'STH', 'Dag noll',
    'Om meddelandet skickas före kl 12, räknas detta som dag noll för beräkning av kommunens betalningsansvarsdagar.',
    'A ready notice sent before 12:00 makes that day day zero for payment liability.'),
  rule('S-7', 'oppenvard', 'STH', 'Avsluta processen',
    'Avsluta ärendet i Lifecare SP genom att välja avsluta processen och ange orsak.',
    'After the SIP is established the FVK closes the case, choosing "avsluta processen" with a reason.'),
  rule('S-8', 'slutenvard', 'STH', 'Permission',
    'Som permission räknas dag då patienten vistas utanför sjukhuset sammanhållet minst 12 timmar mellan klockan 06.00–24.00 under ett dygn utan att avbryta permissionen.',
    'A day counts as permission when the individual is away for at least 12 continuous hours between 06:00 and 24:00.'),
  rule('S-9', 'oppenvard', 'STH', 'Norrtälje',
    'För patienter som är inskrivna i den basala hemsjukvården utses vid utskrivning fast vårdkontakt i Kundvalet. För övriga patienter utses fast vårdkontakt i Husläkarverksamheten.',
    'Norrtälje: the FVK is appointed in Kundvalet for patients in basal hemsjukvård, otherwise in Husläkarverksamheten.'),

  // Region Värmland (psychiatric)
  rule('V-1', 'slutenvard', 'VRM', 'Statusmeddelande inför utskrivning',
    'Grön: vid behov fyll i Statusmeddelande inför utskrivning 1–3 dagar innan beräknat utskrivningsdatum. Gul: fyll i Statusmeddelande inför utskrivning 1–3 dagar innan beräknat utskrivningsdatum. Röd: 1–3 dagar innan planerad SIP. Lila: 1–3 dagar innan planerat samverkansmöte.',
    'The discharge status message is sent 1–3 days before the expected discharge (Grön if needed, Gul), the planned SIP (Röd) or the coordination meeting (Lila).'),
  rule('V-2', 'slutenvard', 'VRM', 'Vid utskrivningsklar',
    'Informera individen om planering inför utskrivning. Skicka meddelande till berörda enheter att individen är utskrivningsklar. Slutför dokumentation i mallen Planering inför utskrivning. Skicka remiss till regionens öppenvård. Kommunen meddelar, i samverkan, vilken tidpunkt individen kan ankomma till hemmet.',
    'At ready: inform the individual, send the notice, complete the planning template, send a remiss; kommun states when the individual can arrive home.'),
  rule('V-3', 'oppenvard', 'VRM', 'Röd: SIP före utskrivning',
    'Ansvara för eventuell utbildning av kommunens och/eller öppenvårdens personal. Fast vårdkontakt kallar till SIP i samråd med berörda enheter innan beräknat utskrivningsdatum. SIP sker i regel innan individen skrivs ut från slutenvården.',
    'Röd: the ward trains staff when needed; the FVK calls the SIP before the expected discharge date; the SIP is normally held before discharge.'),
  rule('V-L1', 'slutenvard', 'VRM', 'LPT: 4 veckor',
    'Vid LPT sätts beräknat utskrivningsdatum till 4 veckor efter intagningsbeslut. Detta datum kan ändras med kort varsel om LPT avskrivs. Vid förlängning av LPT sätts beräknat utskrivningsdatum enligt domslut.',
    'LPT: expected discharge = intake decision + 4 weeks; changes at short notice if LPT ends; on extension per the court\'s ruling.'),
  rule('V-L2', 'slutenvard', 'VRM', 'Återintag från ÖPT',
    'Om en individ har ett pågående ÖPT kan individen återintas på ett slutenvårds LPT som, enligt lag, gäller i 4 dagar.',
    'An individual on ÖPT can be re-admitted on LPT, which by law holds 4 days.'),
  rule('V-L3', 'slutenvard', 'VRM', 'Samverkansmöte',
    'Kalla till samverkansmöte i samråd med berörda enheter, mötet bör ske nära i anslutning till kallelse. Dokumentera i mall Samverkansmöte. Om ansökan till ÖPT dokumentera istället i Samordnad plan enligt § 7 a LPT.',
    'Lila: call a coordination meeting; with an ÖPT application document a samordnad vårdplan (7 a § LPT).'),
  rule('V-L4', 'slutenvard', 'VRM', 'Utskrivningsklar vid ÖPT',
    'När beslut om öppen psykiatrisk tvångsvård fattats av förvaltningsrätten skicka meddelande om utskrivningsklar. Öppenvården ansvarar för uppföljning av ÖPT enligt domslut.',
    'Lila: the ready notice is sent when the administrative court has decided on ÖPT (or LPT has ended).'),
  rule('V-O1', 'slutenvard', 'VRM', 'LRV: fyra månader',
    'Inskrivningsmeddelandet ska innehålla uppgift om beräknad tidpunkt för utskrivning. Beräknad tidpunkt sätts initialt fyra månader efter att inskrivningsmeddelandet skickats.',
    'LRV: the expected discharge is initially four months after the admission notice was sent.'),
  rule('V-O2', 'slutenvard', 'VRM', 'Dom som vunnit laga kraft',
    'I samband med att domen vunnit laga kraft justeras beräknat utskrivningsdatum till fyra månader framåt. En första funktionsbedömning delges i Link utifrån behov, fyra månader efter att domen vunnit laga kraft.',
    'When the judgment becomes final the expected date moves four months ahead; a first funktionsbedömning is shared four months later.'),
  rule('V-O3', 'slutenvard', 'VRM', 'Vårdprövning var sjätte månad',
    'I samband med första vårdprövningen i förvaltningsrätten uppdateras beräknat utskrivningsdatum till nästa vårdprövning, sex månader senare. Nytt beräknat utskrivningsdatum uppdateras därefter i sexmånadersintervall. Avstämning sker via sammanfattande anteckning var sjätte månad.',
    'At each court review the expected date becomes the next review, six months later, with an avstämning every six months.'),
  rule('V-O4', 'slutenvard', 'VRM', 'Ansökan om insatser och samordnad planering',
    'Ansökan om insatser/boende skickas till kommunen. Rättspsykiatrin tar fram erforderliga underlag. Innan individen är aktuell för utslussning eller längre permissioner initieras tätare kontakt. Sammankallande för samordnad planering enligt §§ 12 a, 16 b LRV.',
    'Rättspsykiatrin applies for insatser with underlag, intensifies contact before utslussning, and convenes samordnad planering.'),
  rule('V-O5', 'slutenvard', 'VRM', 'Utskrivningsklar vid ÖRV',
    'När beslut om öppen rättspsykiatrisk tvångsvård fattats av förvaltningsrätten skicka meddelande om utskrivningsklar. I de fall där chefsöverläkaren beslutar om LRV-vårdens upphörande (individ utan särskild utskrivningsprövning) skickas meddelandet efter läkarbeslut.',
    'LRV: the ready notice is sent after the court decides on ÖRV, or after the chief physician ends LRV.'),
  rule('V-O6', 'slutenvard', 'VRM', 'ÖRV och avslut',
    'Ansvar enligt samordnad plan enligt §§ 12 a, 16 b. Skicka remiss till psykiatriska öppenvården när det är lämpligt. Efter dom i förvaltningsrätten att den rättspsykiatriska vården upphör, skickar rättspsykiatrin ett meddelande om detta till påkopplade enheter. Samordningsärendet avslutas.',
    'After discharge with ÖRV the samordnad plan governs; when the court ends forensic care the case closes.'),

  // Municipal payment liability (STH agreement)
  rule('B-1', 'kommun', 'avtal', 'Betalningsansvar efter 1,3 dagar',
    'För sluten hälso- och sjukvård inträder det kommunala betalningsansvaret när 1,3 kalenderdagar har passerat efter det att slutenvården har underrättat berörda enheter att den enskilde är utskrivningsklar (dvs. dag noll, ett och två) förutsatt att meddelandet har skickats före klockan 12.00 denna dag. Beräkningen görs utifrån respektive kommun/stadsdels genomsnitt.',
    'Liability can start 1.3 calendar days after the ready notice (sent before 12:00), on the kommun\'s average.'),
  rule('B-2', 'alla', 'avtal', 'Kriterier för betalningsansvar',
    'Inskrivningsmeddelande har skickats i rätt tid; behandlande läkare har bedömt att den enskilde är utskrivningsklar och underrättat berörda enheter; en fast vårdkontakt är utsedd; den fasta vårdkontakten har kallat till SIP senast tre dagar efter meddelande om utskrivningsklar när behov av insatser från båda huvudmännen finns.',
    'Liability requires: notice in time, ready notice, FVK appointed, SIP called within three days when both huvudmän have needs.'),
  rule('B-3', 'alla', 'avtal', 'Undantag från betalningsansvar',
    'Det kommunala betalningsansvaret gäller inte om insatser som den landstingsfinansierade vården är ansvarig för inte är tillgängliga, om öppenvårdens fasta vårdkontakt inte har kallat till SIP när en sådan ska genomföras, för individer som endast behöver insatser från öppenvården, eller om den enskilde har motsatt sig insatserna.',
    'No liability when the region\'s insatser are unavailable, the SIP was not called, only öppenvård needs exist, or the individual refused.'),
  rule('B-4', 'kommun', 'avtal', 'Placeringskommun',
    'Om en kommun (placeringskommun) har beslutat om den enskildes vistelse i annan kommun (vistelsekommun) i boende med särskild service enligt SoL eller LSS har placeringskommunen betalningsansvar för den enskilde.',
    'For individuals placed in another kommun under SoL/LSS, the placeringskommun is liable.'),
  rule('B-5', 'kommun', 'avtal', 'Genomsnittsmodellen',
    'Beräkningen görs utifrån respektive kommun/stadsdels genomsnitt av antal kalenderdagar från meddelande om utskrivningsklar till utskrivning, för samtliga utskrivna med inskrivningsmeddelande och meddelande om utskrivningsklar, inklusive de som skrivs ut dag noll.',
    'The kommun\'s average of calendar days from ready notice to discharge, over all such discharges including day-zero ones, is compared with the agreed level.'),

  // Time
  rule('K-1', 'alla', 'lag 1930:173', 'Vardag',
    'Vardag är måndag–fredag som inte är allmän helgdag; midsommarafton, julafton och nyårsafton likställs med allmän helgdag vid beräkning av tidsfrister.',
    'A weekday is Monday–Friday that is not a public holiday, midsommarafton, julafton or nyårsafton.'),
  rule('K-2', 'alla', 'STH+VRM', 'Inom 24 timmar på vardagar',
    'Inom 24 timmar på vardagar: 24 timmar räknade under vardagar. Ett meddelande mottaget fredag 15.00 ska besvaras senast måndag 15.00.',
    '24 hours of elapsed weekday time.'),
  rule('K-3', 'alla', 'STH+VRM', 'Inom 24 timmar',
    'Inom 24 timmar: 24 timmar räknade från händelsen, oavsett veckodag.',
    '24 elapsed hours.'),
  rule('K-4', 'alla', 'VRM', 'Inom två vardagar',
    'Inom två vardagar efter utskrivning: senast vid slutet av den andra vardagen efter utskrivningsdagen.',
    'By the end of the second weekday after the day of discharge.'),
  rule('K-5', 'alla', 'STH+VRM', 'Veckor, månader och dagar',
    '4 veckor = 28 dagar; 4 och 6 månader räknas i kalendermånader; tre dagar räknas i kalenderdagar.',
    'Weeks are 7 days, months are calendar months (end-of-month clamped), days are calendar days.'),
  rule('K-6', 'alla', 'STH+VRM', 'Svensk tid',
    'Alla tider avser svensk tid (Europe/Stockholm), även vid övergång till och från sommartid.',
    'All times are Europe/Stockholm local time; instants are stored in UTC.'),
  rule('K-7', 'alla', 'STH+VRM', 'Tidsfristens status',
    'En tidsfrist är pågående, uppfylld (med tidpunkt) eller försenad (med hur länge), och tillhör en part.',
    'A deadline is pending, met (with when) or overdue (with by how long), and belongs to one party.'),
];

export type RuleId = (typeof RULES)[number]['id'];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): Rule {
  const found = byId.get(id);
  if (!found) throw new Error(`Unknown rule id ${id}`);
  return found;
}
