/**
 * Everything the bot says to a person, in Danish. Same keys as en.ts (the type says so).
 */
import type { Catalogue } from './en';
import { type GuideStrings, SECURITY_INFO_URL } from './guideStrings';
import type { HolderFacts, ScopeGap } from './en';
import { wordsIn, type Words } from './said';
import { writeInstant } from './time';

const guide: GuideStrings = {
  title: 'Konfigurer, hvordan du logger ind',
  subtitle: (name) => `Til ${name}, med den midlertidige adgangskode fra helpdesk`,
  intro: {
    recovery:
      'Har du mistet din telefon eller er du låst ude? Med den midlertidige adgangskode kommer du ind igen og kan konfigurere en ny måde at logge ind på.',
    newJoiner:
      'Velkommen! Brug den midlertidige adgangskode til at logge ind første gang og konfigurere, hvordan du logger ind fremover.',
    passkeyOnboarding:
      'Brug den midlertidige adgangskode til at tilføje en adgangsnøgle, så du kan logge ind uden adgangskode.',
  },
  facts: { account: 'Din konto', validFrom: 'Gyldig fra', validUntil: 'Gyldig til', use: 'Brug' },
  startsWhenIssued: 'Så snart den er udstedt',
  usableOnce: 'Kun ét login',
  usableMany: 'Så mange gange du har brug for, indtil den udløber',
  stepsHeading: 'Sådan gør du',
  steps: {
    recovery: [
      `Gå til ${SECURITY_INFO_URL} på en computer eller din nye telefon.`,
      'Log ind med din arbejdskonto. Når du bliver spurgt, skal du indtaste den midlertidige adgangskode i stedet for din adgangskode.',
      'Tilføj Microsoft Authenticator, og slå login med telefonen til – eller tilføj en adgangsnøgle (i Authenticator eller på en sikkerhedsnøgle). Følg vejledningen på skærmen.',
      'Log ud, og log ind igen med den nye metode for at se, at den virker.',
    ],
    newJoiner: [
      `Gå til ${SECURITY_INFO_URL}`,
      'Log ind første gang med din arbejdskonto. Når du bliver spurgt, skal du indtaste den midlertidige adgangskode i stedet for en adgangskode.',
      'Konfigurer Microsoft Authenticator med login med telefonen, eller en adgangsnøgle (i Authenticator eller på en sikkerhedsnøgle): sådan logger du ind fremover.',
      'Log ud, og log ind igen med den nye metode for at se, at den virker.',
    ],
    passkeyOnboarding: [
      'Installer Microsoft Authenticator på din telefon, hvis den ikke allerede er der.',
      `Gå til ${SECURITY_INFO_URL}, og log ind med din arbejdskonto. Når du bliver spurgt, skal du indtaste den midlertidige adgangskode.`,
      'Vælg Tilføj loginmetode og derefter Adgangsnøgle i Microsoft Authenticator. Authenticator beder dig logge ind en gang til: indtast den samme kode igen.',
      'Log ud, og log ind igen med adgangsnøglen for at se, at den virker.',
    ],
  },
  usage: {
    once: 'Koden virker kun til ét login: gør det hele i én omgang uden at logge ud, og bliv færdig inden for cirka 10 minutter efter, at du har logget ind.',
    many: 'Koden virker til flere login, indtil den udløber. Det kræver to af dem at tilføje en adgangsnøgle i Microsoft Authenticator.',
  },
  scenarioUsage: { recovery: 'once', newJoiner: 'once', passkeyOnboarding: 'many' },
  finishBy: (at) => `Gør det færdigt, før koden udløber: ${at}.`,
  finishWithin: (lifetime) => `Gør det færdigt, før koden udløber – den gælder i ${lifetime} fra starttidspunktet.`,
  troubleHeading: 'Hvis det ikke virker',
  trouble: [
    'Koden er udløbet, eller den var kun til ét login og er brugt: Bed helpdesk om en ny.',
    '"Du kan ikke bruge denne metode": Koden er måske ikke slået til for din konto. Kontakt helpdesk.',
  ],
  doNotShare: 'Del ikke koden med nogen. Den giver adgang til din konto, og ingen fra IT vil bede dig om den.',
  onYourPhone: (url) => `Denne vejledning på din telefon: ${url}`,
  page: { language: 'Dansk', otherLanguage: 'English', noPersonalData: 'Siden er den samme for alle: den indeholder ingen personoplysninger og ingen kode.' },
};


const stepUp: Catalogue['stepUp'] = {
  card: {
    title: 'Bekræft, at det er dig',
    held: (requestId, minutes) =>
      `Din godkendelse af ${requestId} er sat i bero og er ikke gennemført: bekræft den med en ny login i din browser inden for ${minutes} minutter. Kun et login som dig selv tæller.`,
    after: 'Når du har logget ind, så vend tilbage hertil: kortet viser resultatet.',
    signIn: 'Log ind for at bekræfte',
    back: 'Tilbage til anmodningen',
  },
  page: {
    appliedTitle: 'Din godkendelse er bekræftet',
    applied: (requestId) => `Dit login bekræftede din godkendelse af ${requestId}. Gå tilbage til Teams: anmodningens kort viser, hvad der sker nu.`,
    waitingTitle: 'Din godkendelse er registreret',
    waiting: (requestId) => `Dit login bekræftede din godkendelse af ${requestId}; der skal også en anden godkendelse til, før koden oprettes. Gå tilbage til Teams.`,
    refusedTitle: 'Intet blev godkendt',
    unknownLink: 'Dette login-link er ikke gyldigt. Gå tilbage til Teams, og klik på Godkend igen.',
    used: 'Dette login-link er allerede brugt, og det godkender ikke noget to gange. Gå tilbage til Teams for at se, hvordan anmodningen står.',
    expired: (minutes) => `Linket virker i ${minutes} minutter, efter du har klikket på Godkend, og den tid er gået. Gå tilbage til Teams, og klik på Godkend igen.`,
    otherUser: 'Du loggede ind som en anden end den godkender, der klikkede på Godkend. Gå tilbage til Teams, klik på Godkend igen, og log ind med din egen konto.',
    otherTenant: 'Du loggede ind med en konto fra en anden organisation. Gå tilbage til Teams, klik på Godkend igen, og log ind med din arbejdskonto.',
    noContext: 'Dit login opfyldte ikke det stærkere login, din organisation kræver ved godkendelser (for eksempel en adgangsnøgle). Gå tilbage til Teams, klik på Godkend igen, og gennemfør det trin.',
    stale: (minutes) => `Dit login var ikke nyt: det skal være sket inden for de sidste ${minutes} minutter. Gå tilbage til Teams, klik på Godkend igen, og log ind, når du bliver bedt om det.`,
    notThisApproval: 'Dette login hører ikke til den godkendelse, det kom tilbage til. Gå tilbage til Teams, og klik på Godkend igen.',
    signInFailed: 'Login blev ikke gennemført. Gå tilbage til Teams, og klik på Godkend igen.',
    requestClosed: (requestId) => `Anmodning ${requestId} venter ikke længere på din beslutning: den er afgjort, trukket tilbage eller udløbet. Gå tilbage til Teams for at se, hvordan den står.`,
    notYours: (requestId) => `Det er ikke dig, der skal afgøre anmodning ${requestId} nu. Gå tilbage til Teams for at se, hvordan den står.`,
    notApplied: (requestId) => `Din godkendelse af ${requestId} kunne ikke gennemføres. Gå tilbage til Teams, og se på anmodningen, før du prøver igen.`,
  },
};

/** Når der ventes på en godkender: påmindelsen, en anmodning der er gået videre til næste godkender, og når der ikke er flere (flow/decide/escalation.ts). */
const waitingClock = (iso: string): string => `kl. ${iso.slice(11, 13)}.${iso.slice(14, 16)} UTC`;
const waitingWho = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? 'godkenderen') : `${names.slice(0, -1).join(', ')} eller ${names[names.length - 1]}`);
const waitingDate = (iso: string): string => `${Number(iso.slice(8, 10))}/${Number(iso.slice(5, 7))}`;
const waiting: Catalogue['waiting'] = {
  who: (names) => waitingWho(names),
  fallbackGroup: (names) => `reservegodkenderne (${waitingWho(names)})`,
  reminderTitle: (requestId) => `Påmindelse: ${requestId} venter på din beslutning`,
  reminderText: (p) =>
    `${p.requester} har bedt om en midlertidig adgangskode til ${p.target}, og anmodningen venter på dig. Godkendelseskortet ligger længere oppe i denne chat; du kan tage stilling indtil ${waitingClock(p.until)}, derefter udløber anmodningen.`,
  movedTitle: (requestId, to) => `${requestId} venter nu på ${to}`,
  movedAway: (p) =>
    `${p.from} er fraværende${p.until ? ` til ${waitingDate(p.until)} ${waitingClock(p.until)}` : ''} (autosvar er slået til), så anmodningen er sendt videre til ${p.to}, som er den næste godkender, reglerne tillader. ${p.to} har nu godkendelseskortet.`,
  movedNoAnswer: (p) =>
    `${p.from} svarede ikke inden for ${p.minutes} minutter, så anmodningen er sendt videre til ${p.to}, som er den næste godkender, reglerne tillader. ${p.to} har nu godkendelseskortet, og ${p.from} kan ikke længere tage stilling til den.`,
  movedFromYouTitle: (requestId) => `${requestId} er sendt videre til en anden godkender`,
  movedFromYouText: (p) =>
    `Anmodningen om en midlertidig adgangskode til ${p.target} venter nu på ${p.to}. Du kan ikke længere tage stilling til den, og der er ikke brug for mere fra dig.`,
  nobodyLeftTitle: (requestId) => `${requestId} venter stadig`,
  nobodyLeftText: (p) =>
    `${p.who} har ikke svaret, og reglerne tillader ikke, at andre tager stilling til anmodningen. Den venter på ${p.who} indtil ${waitingClock(p.until)} og udløber derefter. Ring til vedkommende, eller bed din IT-administrator om at oprette en gruppe af reservegodkendere.`,
  awayNobodyElse: (p) =>
    `${p.who} er fraværende${p.until ? ` til ${waitingDate(p.until)} ${waitingClock(p.until)}` : ''} (autosvar er slået til), og reglerne tillader ikke, at andre tager stilling til anmodningen, så den venter på vedkommende.`,
  movedOn: (requestId, to) => `Anmodning ${requestId} er sendt videre til ${to}, så du kan ikke længere tage stilling til den.`,
  awayNotAvailable: (missing) => `Fravær: ikke tilgængeligt (kræver ${missing})`,
};

/** Et tidspunkt i en sætning: i læserens tidszone, med zonen nævnt; UTC kun når zonen er ukendt. */
const time = (iso: string, zone?: string): string =>
  writeInstant(iso, zone, 'da-DK', (p) => `${p.weekday} ${p.day}. ${p.month} ${p.year} kl. ${p.hour}.${p.minute}${p.zone}`);

const duration = (minutes: number): string => {
  const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  if (minutes >= 1440 && minutes % 1440 === 0) return count(minutes / 1440, 'dag', 'dage');
  if (minutes >= 60 && minutes % 60 === 0) return count(minutes / 60, 'time', 'timer');
  return count(minutes, 'minut', 'minutter');
};

const or = (names: readonly string[]): string => names.join(' eller ');
const w = (words: Words, zone?: string): string => wordsIn(da, words, zone);

type GraphOperationName = Parameters<Catalogue['errors']['graphNotFound']>[0]['operation'];

const GRAPH_ACTION: Record<GraphOperationName, string> = {
  getUser: 'læse brugere',
  getManager: 'læse brugeres ledere',
  memberGroups: 'tjekke gruppemedlemskab',
  directoryRolesHeld: 'tjekke brugeres katalogroller',
  getTapPolicy: 'læse politikken for midlertidige adgangskoder',
  listTaps: 'læse brugeres midlertidige adgangskoder',
  createTap: 'oprette midlertidige adgangskoder',
  deleteTap: 'slette midlertidige adgangskoder',
  listGroupUsers: 'se gruppers medlemmer',
  sendMail: 'sende mail fra den konfigurerede postkasse',
  revokeSignInSessions: 'tilbagekalde brugeres logonsessioner',
  listAuthenticationMethods: 'læse brugeres registrerede logonmetoder',
  addGroupMember: 'føje personer til gruppen for passkey-onboarding',
  removeGroupMember: 'fjerne personer fra gruppen for passkey-onboarding',
};

const NO_SUCH_USER = 'Brugeren findes ikke i kataloget.';
const GRAPH_NOT_FOUND: Record<GraphOperationName, string> = {
  getUser: 'Brugeren findes ikke i kataloget. Tjek brugernavnet (UPN).',
  getManager: NO_SUCH_USER,
  memberGroups: 'Brugeren eller gruppen findes ikke i kataloget.',
  directoryRolesHeld: NO_SUCH_USER,
  getTapPolicy: 'Politikken for midlertidige adgangskoder findes ikke i denne tenant.',
  listTaps: NO_SUCH_USER,
  createTap: NO_SUCH_USER,
  deleteTap: 'Den midlertidige adgangskode findes ikke længere.',
  listGroupUsers: 'Den konfigurerede gruppe findes ikke i kataloget. Bed IT-administratoren om at tjekke gruppens objekt-id.',
  sendMail: 'Postkassen, som botten sender fra (OWNER_NOTICE_MAIL_FROM), blev ikke fundet.',
  revokeSignInSessions: NO_SUCH_USER,
  listAuthenticationMethods: NO_SUCH_USER,
  addGroupMember: 'Onboarding-gruppen (ONBOARDING_GROUP_ID) eller brugeren findes ikke i kataloget. Bed IT-administratoren om at tjekke gruppens id.',
  removeGroupMember: 'Brugeren er ikke medlem af onboarding-gruppen.',
};

const METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'en adgangsnøgle (passkey)',
  windowsHelloForBusiness: 'Windows Hello for Business',
  phone: 'et telefonnummer til logon',
  softwareOath: 'en kode fra en godkenderapp',
  email: 'en mailmetode',
  platformCredential: 'en platformslegitimation',
  qrCodePin: 'logon med QR-kode',
};

const REFUSAL_WORDS: Record<string, string> = {
  targetIsGuest: 'gæst(er)',
  targetIsSelf: 'dig selv',
  targetPrivileged: 'administrator(er)',
  targetProtected: 'beskyttet/beskyttede konto(er)',
  targetDisabled: 'deaktiveret/deaktiverede konto(er)',
  targetOutOfPolicyScope: 'uden for politikken for midlertidige adgangskoder',
  targetNotFound: 'ikke længere i kataloget',
  noManager: 'uden leder',
  openRequest: 'med en anden åben anmodning',
  hasSignInMethod: 'kan allerede logge ind (en gendannelse anmodes om én ad gangen)',
  holdsPass: 'har allerede en kode',
  methodsUnknown: 'hvis logonmetoder ikke kunne læses',
  riskElevated: 'med forhøjet risiko (anmodes om én ad gangen)',
  limitReached: 'har nået dagens grænse for koder',
  approverIsTarget: 'godkenderen selv',
  policyDisabled: 'midlertidig adgangskode slået fra',
};

const RISK_LEVEL: Record<string, string> = { low: 'lav', medium: 'middel', high: 'høj' };

const ASK_ONE_BY_ONE = 'kræver en enkelt anmodning, så personens leder bekræfter, hvem de er';
const NOTHING_CREATED = 'Der blev ikke oprettet nogen kode.';

function holder(h: HolderFacts, zone?: string): string {
  if (h.stage === 'creating') return 'ved at blive oprettet lige nu';
  const how =
    h.stage === 'waiting'
      ? h.group !== undefined ? 'venter på bulk-godkenderne' : `venter på ${or(h.approvers ?? [])}`
      : h.stage === 'scheduled'
        ? h.makesAt ? `godkendt, koden oprettes ${time(h.makesAt, zone)}` : 'godkendt, koden oprettes kort før den starter'
        : 'ved at blive udstedt nu';
  const asked = h.requester ? `anmodet af ${h.requester}, ` : '';
  return h.group !== undefined ? `koder til gruppen ${h.group}, ${asked}${how}` : `${asked}${how}`;
}

function scopeGap(gap: ScopeGap): string {
  switch (gap.kind) {
    case 'excludesAll':
      return 'politikken udelukker alle brugere';
    case 'excludesUser':
      return 'politikken udelukker dem ved navn';
    case 'excludedGroup':
      return `de er i gruppen ${gap.group}, som politikken udelukker`;
    case 'onlyGroups':
      return `politikken omfatter kun ${gap.groups.length === 1 ? 'gruppen' : 'grupperne'} ${gap.groups.join(', ')}, og de er ikke med i nogen af dem`;
    case 'includesNobody':
      return 'politikken omfatter ingen';
  }
}

const errors: Catalogue['errors'] = {
  noActorId: () => 'Jeg kan ikke se, hvem du er, ud fra denne besked (intet Entra-objekt-id), så jeg kan ikke handle på den.',
  notHelpdeskAgent: () => 'Kun medlemmer af helpdesk-gruppen kan anmode om en midlertidig adgangskode. Hvis du burde have adgang, så bed din IT-administrator om at tilføje dig.',
  wrongTenant: () => 'Denne bot betjener kun sin egen organisation.',

  policyDisabled: () =>
    'Midlertidig adgangskode er slået fra i denne tenants politik for godkendelsesmetoder, så der kan ikke udstedes nogen kode. Bed din identitetsadministrator om at slå den til (Entra Administration > Godkendelsesmetoder > Temporary Access Pass).',
  targetNotFound: (p) => `Der er ingen bruger ${p.who} i kataloget: tjek stavemåden.${p.suggestions && p.suggestions.length > 0 ? ` Mente du ${or(p.suggestions)}?` : ''}`,
  mailOfSeveral: (p) => `${p.who} er mailadresse for mere end én person (${p.names.join(', ')}). Brug personens brugernavn.`,
  targetIsGuest: (p) =>
    `${p.who} er ekstern gæst. Gæster logger ind via deres egen organisation, og Entra ID kan ikke give dem en midlertidig adgangskode her; deres eget IT-team må hjælpe dem.`,
  targetIsSelf: () => 'Du kan ikke anmode om en kode til dig selv. Bed en anden helpdesk-medarbejder om at tage sagen, så en anden person kontrollerer.',
  targetPrivileged: (p) => `${p.who} har eller kan aktivere en administratorrolle; midlertidige adgangskoder til privilegerede konti udstedes af identitetsteamet, ikke af helpdesk.`,
  targetProtected: (p) => `${p.who} er i gruppen for beskyttede konti; koder til disse konti udstedes af identitetsteamet, ikke af helpdesk.`,
  targetDisabled: (p) => `Kontoen for ${p.who} er deaktiveret, så en kode ville ikke give adgang. Bed en administrator om at genaktivere kontoen først.`,
  targetOutOfPolicyScope: (p) =>
    `${p.who} er ikke omfattet af denne tenants politik for midlertidige adgangskoder${p.gap ? ` (${scopeGap(p.gap)})` : ''}, så Entra ID ville afvise koden. Bed din identitetsadministrator om at føje dem (eller en gruppe, de er med i) til politikkens mål eller fjerne dem fra dens undtagelser.`,

  noApproverNoFallback: (p) =>
    `Ingen kan godkende en kode til ${p.who}: de har ingen leder, der kan træffe beslutningen, og der er ikke konfigureret nogen reservegruppe af godkendere. Bed din IT-administrator om at angive deres leder i Entra ID eller konfigurere FALLBACK_APPROVER_GROUP_ID.`,
  noApproverInFallback: (p) =>
    `Ingen kan godkende en kode til ${p.who}: de har ingen leder, der kan træffe beslutningen, og reservegruppen af godkendere har intet medlem, der kan (du og de selv tæller ikke). Bed din IT-administrator om at angive deres leder eller føje godkendere til reservegruppen.`,
  riskElevated: (p, zone) =>
    `Denne anmodning kræver mere, end helpdesk kan godkende: ${p.reasons.map((r) => w(r, zone)).join(' ')} Bed identitetsteamet om at bekræfte identiteten på ${p.who} og udstede koden${p.secondGroupMissing ? ' (der er ikke konfigureret nogen gruppe af andengodkendere: SECOND_APPROVER_GROUP_ID)' : ''}.`,
  noSecondApprover: (p, zone) =>
    `Denne anmodning kræver en andengodkender (${p.reasons.map((r) => w(r, zone)).join(' ')}), men gruppen af andengodkendere har ingen, der kan træffe beslutningen (du, personen selv og den første godkender tæller ikke). Kontakt din IT-administrator.`,

  passkeyNeedsMultiUse: () =>
    'Passkey-onboarding kræver en kode, der virker til to logon, men denne tenants politik gør alle midlertidige adgangskoder til engangskoder, så det ville gå galt halvvejs. Bed din identitetsadministrator om at tillade koder til flere logon (Entra Administration > Godkendelsesmetoder > Temporary Access Pass), eller brug scenariet for gendannelse.',
  lifetimeOutsidePolicy: (p) =>
    `Denne tenants politik tillader, at en kode gælder mellem ${duration(p.min)} og ${duration(p.max)} (${p.min}–${p.max} minutter); ${p.asked} minutter ligger uden for det. Vælg en levetid i det interval, eller lad feltet stå tomt for at bruge standarden.`,

  upnMissing: () => 'Skriv, hvem koden er til: personens brugernavn, fx megan@contoso.com.',
  upnTooLong: (p) => `"${p.upn}" er for langt til et brugernavn (højst ${p.max} tegn).`,
  upnBadCharacters: (p) => `"${p.upn}" indeholder mellemrum eller tegn, som et brugernavn ikke kan have; skriv det som megan@contoso.com.`,
  upnNotUpn: (p) => `"${p.upn}" er ikke et brugernavn; skriv det som megan@contoso.com.`,
  reasonTooShort: (p) => `Angiv en begrundelse på mindst ${p.min} tegn (hvad der er sket, fx "mistet telefon, ny enhed").`,
  reasonTooLong: (p) => `Hold begrundelsen under ${p.max} tegn (den har ${p.has}); skriv detaljerne i sagen.`,
  ticketInvalid: () => 'Et sagsnummer er op til 40 bogstaver, cifre, #, _, . eller - (fx INC-12345).',
  scenarioInvalid: (p) => `Vælg et scenarie: ${p.choices.join(', ')}.`,
  lifetimeNotWhole: () => 'Levetiden skal være et helt antal minutter, fx 60.',
  lifetimeOutOfRange: (p) => `Levetiden skal være mellem ${p.min} og ${p.max} minutter (du angav ${p.given}).`,
  usableOnceNotYesNo: () => 'Engangsbrug skal være ja eller nej.',
  startNotReal: (p) => `Starten skal være en gyldig dato (ÅÅÅÅ-MM-DD) og et klokkeslæt (TT:MM) i ${p.zone}.`,
  startNeedsZone: () => 'Starten skal være en dato og et klokkeslæt med tidszone, fx 2025-03-01T09:00:00Z.',
  startInPast: (p, zone) => `Starten, ${time(p.at, zone ?? p.zone)}, ligger i fortiden; lad feltet stå tomt, så koden gælder, så snart den er udstedt.`,
  startTooFar: (p) => `Starten kan højst ligge ${p.days} dage ude i fremtiden.`,
  chooseApproveOrDeny: () => 'Vælg Godkend eller Afvis.',
  denyReasonTooLong: (p) => `Hold begrundelsen for afvisningen under ${p.max} tegn.`,
  attestationRequired: () => 'Før du godkender, så angiv, hvordan du har bekræftet, at det virkelig er personen: videoopkald, personligt fremmøde eller opkald til et nummer, du i forvejen kendte.',
  attestationChoose: (p) => `Vælg, hvordan du har bekræftet personens identitet: ${p.choices.join(', ')}.`,
  attestationOtherNeedsNote: () => 'Du valgte "andet": beskriv, hvordan du har bekræftet personens identitet.',
  attestationNoteTooLong: (p) => `Hold bemærkningen om bekræftelsen under ${p.max} tegn.`,
  calledNumberOnFile: (p) => `Angiv, hvilket registreret nummer du ringede til (${or(p.numbers)}). Ring aldrig tilbage til et nummer, som den, der ringer, selv oplyser.`,
  reportNeedsReason: (p) => `Skriv med få ord (3 til ${p.max} tegn), hvad der gør anmodningen mistænkelig; sikkerhedsteamet læser det.`,

  duplicateBeingMade: (p) => `En anden anmodning for ${p.who} er ved at blive oprettet lige nu. Tjek "status ${p.who}" om et minut, før du anmoder igen.`,
  duplicateRequest: (p, zone) => {
    const next =
      p.next === 'waitForBulk'
        ? `Vent på den: den er en del af ${p.bulkId ?? p.id}, som den, der anmodede, kan stoppe ("cancel ${p.bulkId ?? p.id}").`
        : p.next === 'askRequester'
          ? `Vent på den, eller bed den, der anmodede, om at trække den tilbage ("cancel ${p.id}") først.`
          : p.next === 'withdraw'
            ? `Vent på den, eller træk den tilbage med "cancel ${p.id}" først (det kan ${p.requester ?? 'den, der anmodede'}).`
            : 'Vent på den: den er ved at blive oprettet lige nu.';
    return `Der er allerede en åben anmodning ${p.id} for ${p.who} (${holder(p.holder, zone)}). ${next}`;
  },
  approverUnreachable: (p) =>
    `Godkendelsesanmodningen kunne ikke leveres til ${p.names.join(', ')} i Teams, så ${p.id} blev lukket. Bed godkenderen om at åbne TAP-botten i Teams én gang, og anmod så om koden igen.`,

  agentHourlyLimit: (p, zone) =>
    `Du har lavet ${p.max} anmodninger om koder inden for den seneste time, hvilket er det højeste antal, denne bot tillader for én medarbejder. Du kan anmode igen efter ${time(p.resetsAt, zone)}. Hvis mange personer virkelig har brug for en kode nu (fx en gruppe nyansatte), så kontakt dit identitetsteam.`,
  approverQueueFull: (p, zone) =>
    `${p.who ?? 'Godkenderen'} har allerede ${p.max} anmodninger om koder, der venter på en beslutning, hvilket er det højeste antal, denne bot sender til én godkender ad gangen. Vent, til de har besluttet nogle af dem${p.oldestExpiresAt ? ` (den ældste udløber ${time(p.oldestExpiresAt, zone)})` : ''}, eller kontakt dit identitetsteam, hvis det ikke kan vente.`,
  targetDailyLimit: (p, zone) =>
    `${p.who} har fået udstedt ${p.max} koder inden for de seneste 24 timer, hvilket er det højeste antal, denne bot tillader for én person. En ny er mulig efter ${time(p.resetsAt, zone)}; hvis det ikke kan vente, kan identitetsteamet udstede en i Entra Administration.`,

  requestNotFound: (p) => `Der findes ingen anmodning ${p.id}. Tjek id'et, eller skriv "status" for at se dine anmodninger.`,
  tooBusy: () => 'Der kom for mange ændringer på samme tid; prøv igen.',
  notYoursToCancel: (p) => `Anmodning ${p.id} er ikke din at annullere: kun den helpdesk-medarbejder, der anmodede om den, kan gøre det.`,
  onlyRecipientHandsOver: (p) => `Kun den person, der modtog koden fra anmodning ${p.id}, kan markere den som udleveret.`,
  codeNoLongerWorks: (p) => `Koden fra ${p.id} virker ikke længere: ${p.replacedBy ? `en senere kode (${p.replacedBy}) har erstattet den` : 'den blev stoppet'}. Udlever den ikke.`,
  expiredBeforeClick: (p, zone) =>
    `Anmodning ${p.id} udløb ${time(p.expiredAt, zone)}, før den blev godkendt; du klikkede ${time(p.clickedAt, zone)}, ${p.minutes} ${p.minutes === 1 ? 'minut' : 'minutter'} senere. Der blev ikke oprettet nogen kode; helpdesk kan anmode igen.`,
  secondApprovalNeeded: (p) =>
    `Din godkendelse af ${p.id} er registreret. Den kræver en godkendelse mere${p.from.length > 0 ? `, fra ${or(p.from)}` : ''}, før koden oprettes.`,
  approvalGivenByOthers: (p) =>
    `Den godkendelse, du blev bedt om for ${p.id}, er allerede givet af ${p.by || 'en anden'}; ${p.waitingFor.length > 0 ? `den venter nu på ${or(p.waitingFor)}` : 'den venter nu på den anden godkender'}.`,
  decidedWithBulk: (p) => `Anmodning ${p.id} er en del af ${p.bulkId ?? 'en bulk-anmodning'}; den afgøres sammen med den anmodning, ikke for sig selv.`,
  notYoursToDecide: (p) => `Anmodning ${p.id} er ikke din at afgøre.`,
  alreadyApproved: (p) => `Anmodning ${p.id} er allerede godkendt${p.by ? ` af ${p.by}` : ''}.`,
  alreadyDenied: (p) => `Anmodning ${p.id} er allerede afvist${p.by ? ` af ${p.by}` : ''}.`,
  alreadyExpired: (p) => `Anmodning ${p.id} udløb, før nogen traf en beslutning; helpdesk kan anmode igen.`,
  alreadyCancelled: (p) => `Anmodning ${p.id} blev annulleret af ${p.by ?? 'den, der anmodede'}.`,
  alreadyFailed: (p, zone) => `Anmodning ${p.id} mislykkedes: ${p.why !== undefined ? w(p.why, zone) : 'se kortet for anmodningen'}.`,
  stillPending: (p) => `Anmodning ${p.id} venter stadig på godkendelse.`,

  notYoursToStop: (p) => `Anmodning ${p.id} er ikke din: kun den medarbejder, der anmodede, dens godkender eller den, der modtog koden, kan handle på den.`,
  nothingToRevoke: (p) => `Anmodning ${p.id} har ingen kode at tilbagekalde (status: ${p.state}).`,
  revokeFailed: (p, zone) =>
    `Koden til ${p.who} kunne ikke tilbagekaldes (${w(p.why, zone)}). Den kan stadig virke, indtil den udløber; prøv igen, eller bed en administrator om at slette den i Entra Administration.`,
  notYoursToDispute: (p) => `Anmodning ${p.id} er ikke din: kun den person, koden er til, kan sige, at det ikke var dem.`,
  disputeStillRunning: () => 'Din kode er ved at blive stoppet af et forsøg, der startede for et øjeblik siden, eller det forsøg kunne ikke gøres færdigt. Tryk på knappen igen om et minut.',

  groupNameMissing: () => 'Angiv gruppen: dens visningsnavn, som Entra ID viser det, eller dens objekt-id.',
  groupNameTooLong: (p) => `Et gruppenavn er højst ${p.max} tegn.`,
  bulkNotConfigured: () => 'Bulk-koder kræver en gruppe af godkendere: bed IT-administratoren om at angive BULK_APPROVER_GROUP_ID (eller FALLBACK_APPROVER_GROUP_ID).',
  bulkTooLarge: (p) =>
    `${p.group} har mere end ${p.max} medlemmer, hvilket er det højeste antal, én bulk-anmodning må omfatte (BULK_MAX_MEMBERS). Del den op i mindre grupper, eller bed IT-administratoren om at hæve grænsen.`,
  bulkEmpty: (p) =>
    `${p.group} har ingen brugere som medlemmer, så der er ingen at give en kode.${p.nestedGroups > 0 ? ` Den har ${p.nestedGroups} indlejrede grupper, som ikke tælles med (BULK_INCLUDE_NESTED=false).` : ''}`,
  bulkNoApprover: () => 'Der er ingen andre end dig i gruppen af bulk-godkendere, så ingen kan godkende dette. Bed IT-administratoren om at tilføje en person mere.',
  bulkNobodyEligible: (p) => `Ingen i ${p.group} kan få en kode: ${p.refused.map(([code, n]) => `${n} ${REFUSAL_WORDS[code] ?? code}`).join(', ')}.`,
  groupNotFound: (p) => `Der er ingen gruppe "${p.typed}" i kataloget. Brug dens nøjagtige visningsnavn, som Entra ID viser det, eller dens objekt-id.`,
  groupAmbiguous: (p) => `${p.ids.length} grupper hedder "${p.typed}": ${p.ids.join(', ')}. Anmod igen med objekt-id'et for den, du mener.`,
  bulkTooEarly: (p, zone) =>
    `Disse koder starter ${time(p.startsAt, zone)}, mere end en time fra nu, og kommandolinjen opretter dem med det samme. Kør den inden for timen, før de starter (fx fra en planlagt opgave), eller anmod i Teams med "tap group", hvor botten opretter dem om morgenen.`,
  bulkNotFound: (p) => `Der findes ingen bulk-anmodning ${p.id}.`,
  bulkNotYours: (p) => `Anmodning ${p.id} er ikke din at ${p.to === 'decide' ? 'afgøre' : 'annullere'}.`,
  bulkAskedBySelf: () => 'Du har selv anmodet om disse koder, så en anden skal godkende dem.',
  bulkApproverIsMember: () => 'Du er selv et af de medlemmer, der ville få en kode, så en anden i gruppen af bulk-godkendere skal godkende dette.',
  bulkConfirmFirst: () => 'Sæt flueben i bekræftelsen først: en godkendelse giver alle medlemmer, der opfylder kravene, en kode.',
  bulkNotOpen: (p) => `${p.id} er allerede afsluttet (${p.state}); koder, der allerede er udstedt, gælder, indtil de udløber (tilbagekald dem én ad gangen, hvis det er nødvendigt).`,
  bulkNotYoursToStop: (p) => `Anmodning ${p.id} er ikke din: kun den medarbejder, der anmodede, og bulk-godkenderne kan stoppe dens koder.`,
  bulkApproverUnreachable: (p) =>
    `Godkendelsesanmodningen kunne ikke leveres til bulk-godkenderne i Teams, så ${p.id} blev lukket. Bed dem om at åbne TAP-botten i Teams én gang, og anmod så igen.`,

  graphUnauthorized: () =>
    'Botten kunne ikke logge på Microsoft Graph: dens legitimationsoplysninger (klient-id, hemmelighed, certifikat eller administreret identitet) blev afvist. Bed IT-administratoren om at tjekke appregistreringen.',
  graphNoSignInService: () =>
    'Botten kunne ikke nå Microsoft Entras logontjeneste for at få et Graph-token. Bed IT-administratoren om at tjekke tenant-id, autoritetsværten og netværket.',
  graphUnavailable: (p) => `Microsoft Graph er ikke tilgængelig lige nu; prøv igen om ${p.seconds === 1 ? '1 sekund' : `${p.seconds} sekunder`}.`,
  graphUnreachable: () => 'Microsoft Graph kunne ikke nås; prøv igen om nogle minutter.',
  graphThrottled: (p) => `Microsoft Graph har travlt; prøv igen om ${p.seconds === 1 ? '1 sekund' : `${p.seconds} sekunder`}.`,
  graphNotFound: (p) => GRAPH_NOT_FOUND[p.operation],
  graphForbidden: (p) =>
    `Botten har ikke lov til at ${GRAPH_ACTION[p.operation]}: dens appregistrering skal have Microsoft Graph-programtilladelsen ${p.permission} med administratorsamtykke. Kontakt IT-administratoren.`,
  graphGuest: () => 'Eksterne gæster kan ikke få en midlertidig adgangskode.',
  graphPolicy: () =>
    'Tenantens politik for midlertidige adgangskoder tillader ikke denne kode: den kan være slået fra, ikke omfatte denne bruger eller kræve en anden levetid eller indstilling for engangsbrug.',
  graphBadRequest: () => 'Microsoft Graph afviste anmodningen som ugyldig.',
  graphUnexpected: () => 'Microsoft Graph svarede uventet; prøv igen, og kontakt IT-administratoren, hvis det fortsætter.',
  graphBadIdentifier: () => 'Det er ikke et gyldigt id for en bruger eller gruppe.',
  graphBadAppIdentifier: () => 'Det er ikke et gyldigt id for en bruger eller en Teams-app.',
  graphInstallForbidden: (p) =>
    `Botten har ikke lov til at installere sig selv for personer i Teams: dens appregistrering skal have Microsoft Graph-programtilladelsen ${p.permission} med administratorsamtykke, og appen skal være tilladt af tenantens politikker for Teams-apps. Kontakt IT-administratoren.`,
  graphInstallNotFound: () =>
    'Personen eller bottens Teams-app i organisationens appkatalog (TEAMS_APP_CATALOG_ID) blev ikke fundet. Bed IT-administratoren om at tjekke appkatalogets id.',
};

const reasons: Catalogue['reasons'] = {
  memberGone: () => 'Findes ikke længere i kataloget.',
  memberNotChecked: (p, zone) => `Kunne ikke kontrolleres: ${p.why !== undefined ? w(p.why, zone) : 'kontrollerne kunne ikke læses'}`,
  memberPolicyOff: () => 'Midlertidig adgangskode er slået fra i tenantens politik.',
  memberApprovedSelf: () => 'Har selv godkendt anmodningen: en kode til godkenderen kræver, at en anden træffer beslutningen (anmod om den for sig).',
  memberOpenElsewhere: (p, zone) => `Har allerede en åben anmodning (${p.id ?? 'en anden anmodning'}, ${holder(p.holder, zone)}); én anmodning pr. person ad gangen.`,
  memberHoldsPass: () => `Har allerede en midlertidig adgangskode, som en ny ville erstatte uden varsel: ${ASK_ONE_BY_ONE}.`,
  memberMethodsUnknown: (p) => `Personens logonmetoder kunne ikke læses (${p.why}), så botten kan ikke se, om de endnu ingen har: ${ASK_ONE_BY_ONE}.`,
  memberHasMethod: (p) =>
    `Har allerede ${p.methods.map((m) => METHOD_WORDS[m] ?? m).join(', ')} registreret; hvis personen har mistet den, er det en gendannelse, som ${ASK_ONE_BY_ONE}.`,
  memberRisk: (p, zone) => `${p.reasons.map((r) => w(r, zone)).join(' ')} Dette ${ASK_ONE_BY_ONE}, og en andengodkender.`,
  memberNoManager: () => 'Har ingen leder i kataloget, som koden kan gives til (BULK_DELIVER_TO=manager).',
  memberChanged: (p, zone) => `Ændret siden anmodningen: ${p.why !== undefined ? w(p.why, zone) : 'opfylder ikke længere kravene'}`,
  memberThrottled: (p, zone) => `Stadig begrænset efter ${p.tries} forsøg: ${w(p.why, zone)}`,
  memberNotCreated: (p, zone) => `Microsoft Graph oprettede ikke koden: ${w(p.why, zone)}`,
  memberNoAnswer: (p) => `Microsoft Graph svarede ikke efter ${p.tries} forsøg; der blev ikke oprettet nogen kode til denne person. Anmod igen senere.`,
  memberNotRecorded: () => 'Botten kunne ikke registrere denne kode, så den blev slettet, før nogen så den. Anmod igen for denne person.',
  memberCodeLost: () => 'Botten stoppede, efter at koden var oprettet, og koden gik tabt; personen har ingen kode tilbage (kontrolleret). Anmod igen for denne person.',
  memberMayHoldPass: (p, zone) =>
    `Der kan findes en kode til denne person, som ingen kender, og det kunne ikke kontrolleres (${w(p.why, zone)}). Tjek personens godkendelsesmetoder i Entra ID, og slet en eventuel midlertidig adgangskode, før du anmoder igen.`,
  memberCancelled: (p) => `Ikke oprettet: ${p.by ?? 'nogen'} stoppede anmodningen, før denne kode blev oprettet.`,
  memberRequestStopped: () => 'Ikke oprettet: anmodningen stoppede, før denne kode blev oprettet (årsagen står ovenfor).',
  memberPageUndelivered: () => 'Siden med denne kode kunne ikke leveres i Teams, så koden blev slettet. Anmod igen for denne person.',

  previewManagerAsked: (p) => `${p.manager}, personens leder, bliver bedt om at godkende.`,
  previewSkipLevelAsked: () => 'Du er personens leder, så din egen leder bliver bedt om at godkende.',
  previewFallbackAsked: () => 'Personen har ingen leder, der kan træffe beslutningen, så reservegruppen af godkendere bliver spurgt.',

  checksIncomplete: (p, zone) =>
    `Kontrollerne før oprettelse af koden kunne ikke gennemføres (${w(p.why, zone)}), så der blev ikke oprettet nogen kode. Helpdesk kan anmode igen.`,
  requesterNotAgent: (p) =>
    `${p.requester}, som anmodede om koden, er ikke længere med i helpdesk-gruppen. ${NOTHING_CREATED} Hvis ${p.target} stadig har brug for en kode, skal en anden helpdesk-medarbejder anmode igen.`,
  requesterDisabled: (p) =>
    `Kontoen for ${p.requester}, som anmodede om koden, blev deaktiveret efter anmodningen. ${NOTHING_CREATED} Hvis ${p.target} stadig har brug for en kode, skal en anden helpdesk-medarbejder anmode igen.`,
  targetGone: (p) => `${p.who} findes ikke længere i kataloget. ${NOTHING_CREATED}`,
  changedAfterRequest: (p, zone) => `Dette er ændret efter anmodningen: ${w(p.why, zone)}${p.nothingCreated ? ` ${NOTHING_CREATED}` : ''}`,
  approverIsTarget: () => `Ingen kan godkende en kode til sig selv. ${NOTHING_CREATED}`,
  policyLifetimeChanged: (p, zone) => `Tenantens politik for koder er ændret efter anmodningen. ${w(p.why, zone)} ${NOTHING_CREATED}`,
  managerNowDecides: (p) =>
    `${p.target} har nu en leder, ${p.manager}, som træffer beslutningen, så en godkendelse fra reservegodkenderne gælder ikke længere. ${NOTHING_CREATED} Anmod igen, så ${p.manager} kan beslutte.`,
  approverChanged: (p) =>
    `${p.skipLevel ? `Godkenderen for ${p.target} (lederens leder)` : `Lederen for ${p.target}`} er skiftet fra ${p.was.length > 0 ? p.was.join(', ') : 'godkenderen'} til ${p.now} efter anmodningen. ${NOTHING_CREATED} Anmod igen, så ${p.now} kan beslutte.`,
  noManagerNoFallback: (p) =>
    `${p.target} har ikke længere en leder, der kan træffe beslutningen (det var ${p.was.length > 0 ? p.was.join(', ') : 'godkenderen'}), og der er ikke konfigureret nogen reservegruppe af godkendere. ${NOTHING_CREATED} Bed din IT-administrator om at angive personens leder i Entra ID.`,
  fallbackNowDecides: (p) =>
    `${p.target} har ikke længere en leder, der kan træffe beslutningen (det var ${p.was.length > 0 ? p.was.join(', ') : 'godkenderen'}), så reservegruppen af godkendere beslutter nu. ${NOTHING_CREATED} Anmod igen, så en af dem kan beslutte.`,
  approverLeftFallback: (p) =>
    `${p.who ?? 'Den, der godkendte,'} er ikke længere med i reservegruppen af godkendere, så godkendelsen gælder ikke længere. ${NOTHING_CREATED} Anmod igen, så et nuværende medlem kan beslutte.`,
  secondApproverLeftGroup: (p) =>
    `${p.who || 'Andengodkenderen'} er ikke længere med i gruppen af andengodkendere, så deres godkendelse gælder ikke længere. ${NOTHING_CREATED} Anmod igen, så to personer kan beslutte.`,
  riskAfterApproval: (p, zone) =>
    `Dette er ændret efter godkendelsen: ${p.reasons.map((r) => w(r, zone)).join(' ')} Godkenderne så ikke dette, så der blev ikke oprettet nogen kode. Anmod igen, så det kan vurderes${p.mayNeedSecond ? ' (der kan være brug for en andengodkender)' : ''}.`,
  limitAtIssue: (p, zone) => `${w(p.why, zone)} ${NOTHING_CREATED}`,
  reportedWhileApproving: () => 'Anmodningen blev meldt som mistænkelig, mens den blev godkendt, så der blev ikke oprettet nogen kode.',
  graphDidNotCreate: (p, zone) => `Microsoft Graph oprettede ikke koden: ${w(p.why, zone)}`,
  createUnconfirmedUnchecked: (p) =>
    `Microsoft Graph bekræftede ikke koden til ${p.who}, og jeg kunne ikke kontrollere, om der alligevel blev oprettet en. En administrator bør slette enhver midlertidig adgangskode for ${p.name} i Entra ID (Brugere > Godkendelsesmetoder), før du anmoder igen.`,
  createUnconfirmedDeleted: (p) =>
    `Microsoft Graph bekræftede ikke koden til ${p.who}. Der var alligevel oprettet en, som jeg har slettet (dens kode kan aldrig læses igen), så ingen har en kode, der virker. Anmod igen.`,
  createUnconfirmedNone: (p) =>
    `Microsoft Graph svarede ikke, da koden til ${p.who} blev oprettet (${p.tries} forsøg), og der blev ikke oprettet nogen (jeg har kontrolleret det). Anmod igen om nogle minutter.`,
  interruptedBeforeCreate: () => 'Botten stoppede efter godkendelsen og før koden blev oprettet, så der findes ingen kode. Anmod om en ny.',
  interruptedNotRemoved: (p) =>
    `Botten stoppede under udstedelsen af koden og kunne ikke fjerne den: en administrator bør slette den midlertidige adgangskode for ${p.upn} i Entra ID.`,
  interruptedNoneMade: () => 'Botten stoppede under oprettelsen af koden, og Entra ID har ingen kode fra den, så der findes ingen. Anmod om en ny.',
  interruptedRemoved: () => 'Botten stoppede under udstedelsen af koden, så ingen kan vide sig sikker på, hvem der har den; for en sikkerheds skyld er den fjernet. Anmod om en ny.',

  bulkEveryMemberOpen: () => 'Alle medlemmer har en anden åben anmodning.',
  bulkPolicyOff: () => 'Midlertidig adgangskode blev slået fra i tenantens politik efter anmodningen, så der blev ikke oprettet nogen kode.',
  bulkLifetimeOutsidePolicy: (p) =>
    `Tenantens politik tillader nu ${p.min}–${p.max} minutter, og denne anmodning bad om ${p.asked}, så der blev ikke oprettet nogen kode. Anmod igen.`,
  bulkRequesterNotAgent: (p) => `${p.requester} er ikke længere med i helpdesk-gruppen, så der blev ikke oprettet nogen kode.`,
  bulkApproverLeftGroup: (p) => `${p.approver ?? 'Godkenderen'} er ikke længere med i gruppen af bulk-godkendere, så der blev ikke oprettet nogen kode. Anmod igen.`,
  bulkChecksIncomplete: (p, zone) => `Kontrollerne før oprettelsen af koderne kunne ikke gennemføres (${w(p.why, zone)}), så der blev ikke oprettet nogen kode. Anmod igen.`,

  riskManagerChange: (p, zone) => `Personens leder blev ændret ${time(p.at, zone)}, inden for ${p.days} dage: en angriber kan have sat en medskyldig ind.`,
  riskRecentPass: (p, zone) => `Personen fik en kode ${time(p.at, zone)}, inden for ${p.days} dage: endnu en gendannelse så hurtigt skal ses efter en ekstra gang.`,
  riskReportedBefore: () => 'En tidligere anmodning for personen blev meldt som mistænkelig.',
  riskMethodRegisteredRecently: (p, zone) => `En logonmetode blev registreret ${time(p.at, zone)}, inden for ${p.hours} timer: spørg, hvorfor den allerede er mistet.`,
  riskPrivilegedRolesUnknown: (p) =>
    `Det kan ikke læses, om personen kan aktivere en administratorrolle (PIM): ${p.missing}. En kode til en administrator udstedes af identitetsteamet.`,
  riskUserRisk: (p) => `Identity Protection vurderer risikoen for personens konto som ${RISK_LEVEL[p.level] ?? p.level}.`,
};

/**
 * Chatten i Teams (src/bot). Kommandoordene (`tap`, `status`, `cancel`, `revoke`, `report`,
 * `pending`, `help`) er de samme som på engelsk, og kun forklaringerne er på dansk: botten
 * forstår ét sæt kommandoer, så et eksempel virker, når det skrives af, hjælpekortet og
 * vejledningerne viser de samme ord, og en kollega med engelsk Teams skriver det samme.
 */
const chat: Catalogue['chat'] = {
  unknownSender: 'Jeg kan ikke se, hvem du er, ud fra denne besked, så jeg kan ikke hjælpe her. Åbn TAP helpdesk-botten i Teams, og prøv igen.',
  unknownClicker: 'Jeg kan ikke se, hvem der klikkede, så jeg kan ikke gøre noget.',
  tooLong: 'Den besked er for lang til mig. Jeg forstår korte kommandoer som `tap megan@contoso.com`, `status` eller `help`.',
  groupNotice:
    'Jeg håndterer kun midlertidige adgangskoder i en 1:1-chat, så intet om en persons konto deles med en gruppe. Åbn en chat med mig (TAP Helpdesk) for at bede om, godkende eller tjekke en kode.',
  notUnderstood: 'Det forstod jeg ikke. Her er, hvad jeg kan:',
  refusedTitle: 'Det kan jeg ikke',
  notSetUpTitle: 'Ikke sat op',
  bulkNotSetUp: 'Koder til en hel gruppe er ikke sat op i denne bot. Kontakt IT-administratoren (det kræver BULK_APPROVER_GROUP_ID eller FALLBACK_APPROVER_GROUP_ID).',
  tapOffTitle: 'Midlertidig adgangskode er slået fra',
  tapOff: 'Midlertidig adgangskode (Temporary Access Pass) er slået fra i organisationens politik for godkendelsesmetoder, så jeg kan ikke udstede en. Bed din IT-administrator om at slå den til.',
  onlyTeams: 'Denne bot virker kun i Microsoft Teams.',
  onlyOwnOrganization: 'Denne bot betjener kun sin egen organisation.',
  turnFailed: (ref) =>
    `Der gik noget galt hos os (ref. ${ref}). Skriv \`status\` for at se, hvor din anmodning står, før du prøver igen: der kan allerede være oprettet en kode. Hvis du har brug for hjælp, så giv denne reference til din IT-administrator.`,
  preview: {
    noPassFor: (who) => `Ingen kode til ${who}`,
    noUser: (typed) => `Der blev ikke fundet nogen bruger ${typed}.`,
    manager: (name) => `Leder: ${name}.`,
    noManager: 'Ingen leder angivet.',
    replaces: 'Personen har allerede en kode: en ny erstatter den.',
  },
  usage: {
    cancel: 'Skriv `cancel` og anmodningens id, fx `cancel TAP-7K3F9Q`, for at annullere en anmodning, der stadig venter på godkendelse (`cancel BULK-…` stopper en gruppeanmodning).',
    revoke: 'Skriv `revoke` og anmodningens id, fx `revoke TAP-7K3F9Q`, for at slette en udstedt kode, så den ikke længere virker (`revoke BULK-…` stopper alle koder fra en gruppeanmodning).',
    report: 'Skriv `report`, anmodningens id og hvorfor, fx `report TAP-7K3F9Q den, der ringede, kendte ikke sin leder`, for at melde en anmodning som mistænkelig.',
    title: (command) => `Sådan bruger du ${command}`,
    choose: (requests) => `Du kan vælge mellem: ${requests}.`,
  },
  form: {
    target: 'Angiv UPN (fx megan@contoso.com) for den person, der skal have koden.',
    reason: 'Angiv en begrundelse.',
    scenario: 'Vælg et scenarie.',
    lifetime: 'Varigheden skal være et helt antal minutter.',
  },
  statusTitle: 'Dine TAP-anmodninger',
  statusTitleFor: (upn) => `TAP-anmodninger for ${upn}`,
  cancelled: { title: (id) => `${id} er annulleret`, text: (who) => `Anmodningen for ${who} er annulleret.` },
  revoked: {
    title: (id) => `${id}: stoppet`,
    withdrawnTitle: (id) => `${id}: trukket tilbage, før den blev oprettet`,
    withdrawn: (who) => `Koden til ${who} bliver ikke oprettet.`,
    cardTitle: (id) => `${id}: koden er tilbagekaldt`,
    cardText: 'Koden virker ikke længere.',
  },
  bulkRevoked: {
    title: (id) => `${id}: koderne er stoppet`,
    deleted: (count) => (count === 1 ? '1 kode blev slettet i Entra ID og virker ikke længere.' : `${count} koder blev slettet i Entra ID og virker ikke længere.`),
    noneDeleted: 'Ingen kode blev slettet.',
    nothingLive: (count) => `${count} havde ikke længere en gyldig kode (udløbet, brugt, erstattet eller stoppet før).`,
    notStopped: (ids) => `Kunne ikke stoppes nu, prøv igen: ${ids}.`,
    nothingMore: 'Der bliver ikke oprettet flere koder til denne anmodning.',
  },
  reported: {
    title: (id) => `${id} er meldt som mistænkelig`,
    revoked: (name) => `Tak. Anmodningen for ${name} er registreret som mistænkelig, og koden er tilbagekaldt; sikkerhedskontakterne har fået besked.`,
    stopped: (name) => `Tak. Anmodningen for ${name} er registreret som mistænkelig og er stoppet; sikkerhedskontakterne har fået besked.`,
    flagged: (name) => `Tak. Anmodningen for ${name} er registreret som mistænkelig; sikkerhedskontakterne har fået besked.`,
    cardTitle: (id) => `${id} er meldt`,
    cardText: 'Tak: anmodningen er stoppet, og meldingen står i revisionssporet.',
  },
  pending: {
    noneTitle: 'Intet venter på dig',
    none: 'Ingen anmodning om midlertidig adgangskode venter på din beslutning.',
    title: (count) => `Venter på din beslutning (${count})`,
  },
  card: {
    unsupported: 'Denne handling på kortet understøttes ikke.',
    onlyOwnActions: 'Denne bot svarer kun på handlinger fra sine egne kort.',
    noRequest: 'Kortet angiver ikke en anmodning.',
    noPage: 'Kortet angiver ikke en resultatside.',
    pageGone: 'Den resultatside findes ikke længere.',
    notYours: 'Du har ikke adgang til at se denne anmodning.',
    notYoursId: (id) => `Du har ikke adgang til at se anmodning ${id}.`,
    checkForm: 'Tjek formularen.',
    notAvailable: 'Ikke tilgængelig',
    notFoundTitle: 'Anmodningen blev ikke fundet',
    notFound: (id) => `Jeg kan ikke finde anmodning ${id}.`,
    notRefreshedTitle: (id) => `${id}: gemt`,
    notRefreshedIssued: 'Koden blev udstedt, men kortet kunne ikke opdateres. Skriv `status` for at se anmodningen.',
    notRefreshed: (id) => `Anmodning ${id} blev opdateret, men kortet kunne ikke opdateres. Skriv \`status\` for at se anmodningen.`,
  },
  notice: {
    preparingTitle: (name) => `Koden til ${name} klargøres`,
    preparing: (id, who) =>
      `Anmodning ${id}: Den midlertidige adgangskode til ${who} vises på dette kort om et øjeblik. Hvis den ikke gør, har ingen fået en kode, og du får en besked om, hvad du skal gøre.`,
    notDeliveredTitle: (id) => `${id}: koden kunne ikke leveres`,
    notDelivered: (who) =>
      `Den midlertidige adgangskode til ${who} kunne ikke vises her, så den bliver slettet, og ingen kan bruge den. Du får en besked om, hvad du skal gøre.`,
    codeRemovedTitle: (id) => `${id}: koden er fjernet fra kortet`,
    codeRemoved: (who) => `Den midlertidige adgangskode til ${who} blev ikke udleveret, og koden vises ikke længere.`,
    revokedTitle: (id) => `${id}: koden er tilbagekaldt`,
    revoked: (by, who, at) => `${by || 'En part i anmodningen'} tilbagekaldte den midlertidige adgangskode til ${who} ${at}; den virker ikke længere.`,
    reason: (reason) => `Begrundelse: ${reason}`,
    deniedTitle: (id) => `${id} blev afvist`,
    denied: (by, who) => `${by || 'Godkenderen'} afviste den midlertidige adgangskode til ${who}. Der blev ikke udstedt noget.`,
    expiredTitle: (id) => `${id} er udløbet`,
    expired: (who) => `Ingen tog stilling til den midlertidige adgangskode til ${who} i tide. Der blev ikke udstedt noget; opret en ny anmodning, hvis der stadig er brug for den.`,
    failedTitle: (id) => `${id} mislykkedes`,
    failed: (who) => `Den midlertidige adgangskode til ${who} kunne ikke udstedes.`,
    ownerSummary: (requester) => `Der er udstedt en midlertidig adgangskode til din konto (bestilt af ${requester}).`,
    noRecipient: 'Anmodningen har ingen modtager, så koden kunne ikke leveres.',
    unreachable: (names, many) =>
      `${names} har ikke åbnet TAP helpdesk-botten i Teams endnu, så jeg kan ikke nå ${many ? 'dem' : 'vedkommende'}. Bed ${many ? 'dem' : 'vedkommende'} om at åbne den én gang (søg efter appen i Teams), og prøv så igen.`,
    someone: 'Godkenderen',
    and: 'og',
  },
  suspicious: {
    title: (id) => `Mistænkelig TAP-anmodning ${id}`,
    reported: (by, id, reason) => `${by || 'En part i anmodningen'} har meldt anmodning ${id} som mistænkelig: "${reason}"${/[.!?…]$/.test(reason) ? '' : '.'}`,
    asked: (requester, who, state) => `Den blev bestilt af ${requester} til ${who}; ${state}.`,
    state: {
      revoked: 'koden er tilbagekaldt',
      stopped: 'den er stoppet, og der blev ikke oprettet nogen kode',
      issuing: 'den var ved at blive udstedt, så en kode oprettet til den bliver slettet i stedet for at blive udleveret',
      denied: 'den var allerede afvist',
      expired: 'den var allerede udløbet',
      failed: 'den var allerede mislykket',
    },
    inTeams: (upn, name) => `I denne chat kan en helpdesk-medarbejder skrive \`status ${upn}\` for at se alle anmodninger for ${name}.`,
  },
  bulk: {
    approvalSummary: (requester, count, group) => `${requester} beder om ${count} koder til ${group}`,
    pageSummary: (id, count, group, page) => `${id}: ${count} koder til ${group} (side ${page})`,
    unreachable: (names) => `Ingen af godkenderne af gruppeanmodninger (${names}) har åbnet TAP-botten i Teams endnu, så jeg kan ikke nå dem.`,
  },
};

export const da: Catalogue = {
  guide,
  chat,
  time,
  duration,
  errors,
  reasons,
  waiting,
  stepUp,
};
