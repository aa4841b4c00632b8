/**
 * Everything the bot says to a person, in Danish. Same keys as en.ts (the type says so).
 */
import type { Catalogue } from './en';
import { type GuideStrings, SECURITY_INFO_URL } from './guideStrings';

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
  waiting,
  stepUp,
};
