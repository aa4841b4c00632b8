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
      `Din godkendelse af ${requestId} er sat i bero og er ikke gennemført: bekræft den med et nyt login i din browser inden for ${minutes} minutter. Kun et login som dig selv tæller.`,
    after: 'Log ind åbner login i din browser. Når du har logget ind, så vend tilbage hertil, og vælg Tilbage: kortet viser så resultatet.',
    signIn: 'Log ind',
    back: 'Tilbage',
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
    lifetimeNotChosen: 'Vælg, hvor længe koden virker.',
    scenarioDefaultsFilled: (scenario) => `Du valgte ${scenario} i listen: dets indstillinger er nu udfyldt nedenfor. Tjek dem, og send igen.`,
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
    approvalSummary: (requester, count, group) => `${requester} beder om ${count} ${count === 1 ? 'kode' : 'koder'} til ${group}`,
    pageSummary: (id, count, group, page) => `${id}: ${count} ${count === 1 ? 'kode' : 'koder'} til ${group} (side ${page})`,
    unreachable: (names) => `Ingen af godkenderne af gruppeanmodninger (${names}) har åbnet TAP-botten i Teams endnu, så jeg kan ikke nå dem.`,
  },
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
  automaticReplies: 'læse godkenderes automatiske svar (fraværsbeskeder)',
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
  automaticReplies: 'Brugeren har ingen postkasse, så deres automatiske svar kan ikke læses.',
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

/** A request's state as a Danish reader knows it (the states are the same for single and bulk requests). */
const STATE_WORDS: Record<string, string> = {
  PendingApproval: 'afventer godkendelse',
  Approved: 'godkendt',
  Issuing: 'ved at blive udstedt',
  Issued: 'udstedt',
  Completed: 'afsluttet',
  Denied: 'afvist',
  Expired: 'udløbet',
  Failed: 'mislykket',
  Cancelled: 'annulleret',
};

const CONFIRMED_BY: Record<string, string> = {
  videoCall: 'via et videoopkald',
  inPerson: 'ved at mødes med dig personligt',
  knownNumberCall: 'ved at ringe til dig på et nummer, de i forvejen kendte',
  other: 'på anden måde',
};

const STRONG_METHOD_WORDS: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'en adgangsnøgle (passkey)',
  windowsHelloForBusiness: 'Windows Hello for Business',
};

const RISK_LEVEL: Record<string, string> = { low: 'lav', medium: 'middel', high: 'høj' };

const ASK_ONE_BY_ONE = 'kræver en enkelt anmodning, så personens leder bekræfter, hvem de er';
const NOTHING_CREATED = 'Der blev ikke oprettet nogen kode.';
const otherPassLive = (who: string): string =>
  ` ${who} har en kode, som botten ikke har oprettet (fra Entra Administration eller et andet værktøj); den er ikke rørt: en identitetsadministrator bør tjekke den.`;

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
  notASignInName: (p) => `"${p.typed}" er et navn, ikke et brugernavn. Mente du ${or(p.suggestions)}? Skriv det som tap megan@contoso.com.`,
  mailOfSeveral: (p) => `${p.who} er mailadresse for mere end én person (${p.names.join(', ')}). Brug personens brugernavn.`,
  targetIsGuest: (p) =>
    `${p.who} er en ekstern gæst. Gæster logger ind via deres egen organisation, og Entra ID kan ikke give dem en midlertidig adgangskode her; deres eget IT-team må hjælpe dem.`,
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
    `Denne anmodning kræver en andengodkender. ${p.reasons.map((r) => w(r, zone)).join(' ')} Men gruppen af andengodkendere har ingen, der kan træffe beslutningen (du, personen selv og den første godkender tæller ikke). Kontakt din IT-administrator.`,

  passkeyNeedsMultiUse: () =>
    'Passkey-onboarding kræver en kode, der virker til to logon, men denne tenants politik gør alle midlertidige adgangskoder til engangskoder, så det ville gå galt halvvejs. Bed din identitetsadministrator om at tillade koder til flere logon (Entra Administration > Godkendelsesmetoder > Temporary Access Pass), eller brug scenariet for gendannelse.',
  lifetimeOutsidePolicy: (p) =>
    `Denne tenants politik tillader, at en kode gælder mellem ${duration(p.min)} og ${duration(p.max)} (${p.min}–${p.max} minutter); ${p.asked} minutter ligger uden for det. Vælg en levetid i det interval, eller lad feltet stå tomt for at bruge standarden.`,

  upnMissing: () => 'Skriv, hvem koden er til: personens brugernavn, fx megan@contoso.com.',
  upnTooLong: (p) => `"${p.upn}" er for langt til et brugernavn (højst ${p.max} tegn).`,
  upnBadCharacters: (p) => `"${p.upn}" indeholder mellemrum eller tegn, som et brugernavn ikke kan have; skriv det som megan@contoso.com.`,
  upnNotUpn: (p) => `"${p.upn}" er ikke et brugernavn; skriv det som megan@contoso.com.`,
  upnHiddenCharacter: (p) => `"${p.upn}" indeholder et tegn, man ikke kan se (vist her som ?), ofte kopieret med navnet: skriv brugernavnet igen i hånden, som megan@contoso.com.`,
  upnLookAlike: (p) => `"${p.upn}" indeholder "${p.character}" (${p.code}), et tegn der kun ligner et latinsk bogstav; brugernavne består af almindelige bogstaver og tal. Skriv det igen i hånden, som megan@contoso.com.`,
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
  nothingToRevoke: (p) => `Anmodning ${p.id} har ingen kode at tilbagekalde (den er ${STATE_WORDS[p.state] ?? p.state}).`,
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
  bulkNotYours: (p) => `Anmodning ${p.id} er ikke din at ${p.to === 'decide' ? 'afgøre' : p.to === 'cancel' ? 'annullere' : 'ændre'}.`,
  bulkAskedBySelf: () => 'Du har selv anmodet om disse koder, så en anden skal godkende dem.',
  bulkApproverIsMember: () => 'Du er selv et af de medlemmer, der ville få en kode, så en anden i gruppen af bulk-godkendere skal godkende dette.',
  bulkConfirmFirst: () => 'Sæt flueben i bekræftelsen først: en godkendelse giver alle medlemmer, der opfylder kravene, en kode.',
  bulkNotOpen: (p) => `${p.id} er allerede ${STATE_WORDS[p.state] ?? p.state}; koder, der allerede er udstedt, gælder, indtil de udløber (tilbagekald dem én ad gangen, hvis det er nødvendigt).`,
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
  memberMethodsUnknown: (p, zone) => `Personens logonmetoder kunne ikke læses (${w(p.why, zone)}), så botten kan ikke se, om de endnu ingen har: ${ASK_ONE_BY_ONE}.`,
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
  memberRequestStopped: () => 'Ikke oprettet: anmodningen stoppede, før denne kode blev oprettet.',
  memberPageUndelivered: (p) => `Siden med denne kode kunne ikke leveres i Teams, så koden blev slettet.${p.askAgain ? ' Anmod igen for denne person.' : ''}`,
  memberNotRecordedDelivered: (p) =>
    `Koden kunne ikke registreres som leveret, så den blev slettet; koden på siden virker ikke længere.${p.askAgain ? ' Anmod igen for denne person.' : ''}`,
  memberStoppedWhileCreating: () => 'Anmodningen blev stoppet, mens koden blev oprettet, så den blev slettet, før nogen så den.',
  memberUnansweredDeleted: () =>
    'Microsoft Graph svarede ikke på oprettelsen, og en kode, der alligevel blev oprettet, er slettet (koden kan aldrig læses igen). Anmod igen for denne person.',
  memberLostAfterSend: () => 'Botten stoppede, efter at koden var bestilt; koden blev slettet, fordi den gik tabt. Anmod igen for denne person.',

  unexpectedError: () => 'en uventet fejl; detaljerne står i bottens log',
  graphRefusedIt: () => 'Microsoft Graph afviste den',

  previewManagerAsked: (p) => `${p.manager}, personens leder, bliver bedt om at godkende.`,
  previewSkipLevelAsked: (p) => `Du er personens leder, så din egen leder, ${p.manager}, bliver bedt om at godkende.`,
  previewSecondApproval: (p, zone) => `En godkender mere skal også godkende. ${p.reasons.map((r) => w(r, zone)).join(' ')}`,
  previewAwayAsked: (p) => `${p.away} er fraværende, så ${p.to ?? 'reservegruppen af godkendere'} bliver bedt om at godkende.`,
  previewFallbackAsked: () => 'Personen har ingen leder, der kan træffe beslutningen, så reservegruppen af godkendere bliver spurgt.',

  presetRecovery: () => 'Gendannelse: ét login til at registrere en ny metode med det samme.',
  presetNewJoiner: (p) => `Ny medarbejder: starter på personens første morgen${p.startTime ? ` kl. ${p.startTime}` : ''} og varer arbejdsdagen.`,
  presetPasskey: () => 'Adgangsnøgle: kan bruges mere end én gang, til de to login, som en adgangsnøgle i Microsoft Authenticator kræver.',

  needsPermission: (p) => `kræver Graph-tilladelsen ${p.permission}`,
  needsPermissionAndLicence: (p) => `kræver ${p.permission} og en ${p.licence}-licens`,
  needsMailbox: () => 'kræver en Exchange Online-postkasse',
  graphBusy: () => 'Microsoft Graph havde travlt; prøv igen for dette signal',
  graphAnswered: (p) => `kunne ikke læses (Graph svarede ${p.status})`,
  notReadHere: () => 'ikke læst for denne anmodning',

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
  undeliveredDeleted: (p) =>
    `Koden blev oprettet, men ${p.suspicious ? 'blev meldt som mistænkelig, mens den blev oprettet' : 'kunne ikke leveres'}, så den er slettet igen, og ingen har den.${p.suspicious ? '' : ' Anmod om en ny kode.'}`,
  undeliveredNotDeleted: (p, zone) =>
    `Koden blev oprettet, men ${p.suspicious ? 'blev meldt som mistænkelig, mens den blev oprettet' : 'kunne ikke leveres'}, og den kunne ikke slettes: en administrator bør fjerne den midlertidige adgangskode for ${p.upn} i Entra ID (den udløber ${time(p.expiresAt, zone)}).`,
  interruptedBeforeCreate: () => 'Botten stoppede efter godkendelsen og før koden blev oprettet, så der findes ingen kode. Anmod om en ny.',
  interruptedNotRemoved: (p) =>
    `Botten stoppede under udstedelsen af koden og kunne ikke fjerne den: en administrator bør slette den midlertidige adgangskode for ${p.upn} i Entra ID.`,
  interruptedNoneMade: () => 'Botten stoppede under oprettelsen af koden, og Entra ID har ingen kode fra den, så der findes ingen. Anmod om en ny.',
  interruptedRemoved: () => 'Botten stoppede under udstedelsen af koden, så ingen kan vide sig sikker på, hvem der har den; for en sikkerheds skyld er den fjernet. Anmod om en ny.',

  stoppedWith: (p, zone) => `Stoppet via ${p.id}${p.why !== undefined ? `: ${w(p.why, zone)}` : ''}`,
  reportedSuspicious: (p) => `Meldt som mistænkelig: ${p.reason}`,
  reportedWhileDelivering: (p) => `Meldt som mistænkelig, mens koden blev leveret: ${p.reason}`,
  ownerDisputed: (p) => `Kontoens ejer siger, at de ikke har bedt om denne kode (${p.via === 'teams' ? 'fra beskeden i Teams' : 'fra linket i mailen'}).`,

  stopDeleted: () => 'Koden er slettet i Entra ID og virker ikke længere.',
  stopReplacedDeleted: (p) =>
    `Denne kode var allerede erstattet af en senere (${p.deleted.join(', ')}), og den kode er slettet.${p.otherLive ? otherPassLive(p.who) : ` ${p.who} har ingen kode fra denne bot, der virker.`}`,
  stopNothingLive: (p) =>
    `Ingen kode fra denne anmodning var aktiv længere (den var udløbet, brugt eller erstattet), så der var intet at slette.${p.otherLive ? otherPassLive(p.who) : ''}`,

  onboardingAddFailed: (p, zone) =>
    `${p.who} kunne ikke føjes til gruppen for passkey-onboarding (${w(p.why, zone)}). Indtil en administrator tilføjer personen, gælder onboarding-politikken for betinget adgang ikke for dem, og registrering af en adgangsnøgle med koden kan blive blokeret.`,
  registeredWithPass: (p, zone) =>
    `${p.who} har registreret ${STRONG_METHOD_WORDS[p.method] ?? p.method}${p.displayName ? ` ("${p.displayName}")` : ''} med den midlertidige adgangskode fra anmodning ${p.id}.` +
    (p.passDeleted === true
      ? ' Koden er slettet: ingen har brug for den længere.'
      : p.passDeleted === false
        ? ` Koden kunne ikke slettes: den virker, indtil den udløber${p.expiresAt ? ` (${time(p.expiresAt, zone)})` : ''}; tilbagekald den, hvis du kan.`
        : ''),
  expiredUnregistered: (p) =>
    `Den midlertidige adgangskode til ${p.who} (anmodning ${p.id}) er udløbet, uden at der blev registreret en ny logonmetode med den. ` +
    `Anmod igen, hvis personen stadig har brug for en; sørg for, at de åbner ${SECURITY_INFO_URL}, mens koden er gyldig, logger ind med den og tilføjer ${p.passkeyOnboarding ? 'en adgangsnøgle (passkey)' : 'Microsoft Authenticator eller en adgangsnøgle (passkey)'}, før den udløber.` +
    `${p.oneTime ? ' En engangskode virker til ét logon: registreringen skal gøres færdig i det logon, inden for ca. 10 minutter.' : ''}` +
    `${p.passkeyOnboarding ? ' En adgangsnøgle i Authenticator kræver en kode til flere logon (to logon).' : ''}`,
  bulkCodeDead: (p) =>
    `Koden til ${p.who} (${p.id}) på en resultatside fra ${p.bulkId} virker ikke længere: ${p.how === 'stopped' ? 'den blev stoppet' : p.how === 'replaced' ? `en senere kode (${p.replacedBy ?? ''}) har erstattet den` : 'den blev slettet'}. Udlever den ikke.`,
  pageCodesDead: (p) =>
    p.names.length === 1
      ? `På side ${p.page} af ${p.bulkId} virker koden til ${p.names[0]} ikke længere: koden kunne ikke registreres, så den blev slettet. Udlever den ikke.`
      : `På side ${p.page} af ${p.bulkId} virker koderne til ${p.names.join(', ')} ikke længere: koderne kunne ikke registreres, så de blev slettet. Udlever dem ikke.`,
  managerBulkNotice: (p, zone) =>
    [
      `Helpdesk (${p.requester}) har udstedt en midlertidig adgangskode til ${p.joiners.length === 1 ? 'en medarbejder' : `${p.joiners.length} medarbejdere`}, der refererer til dig, i ${p.bulkId} for ${p.group}, godkendt af ${p.approver ?? 'en bulk-godkender'}. Denne besked indeholder aldrig en kode.`,
      ...p.joiners.map((j) => `• ${j.name} (${j.upn}): ${j.id}, virker indtil ${j.until ? time(j.until, zone) : 'den udløber'}`),
      `Hvis nogen af dem ikke skal have en kode, så stop den her: skriv "revoke ${p.joiners[0]?.id ?? ''}" (eller "report ${p.joiners[0]?.id ?? ''} <hvorfor>", hvis det ser forkert ud).`,
    ].join('\n'),

  ownerIssuedSubject: () => 'Der er udstedt en midlertidig adgangskode til din konto',
  ownerIssued: (p, zone) =>
    [
      `Hej ${p.name}`,
      '',
      `Der blev udstedt en midlertidig adgangskode til din konto ${p.upn} ${time(p.issuedAt, zone)} efter anmodning fra ${p.requester} (helpdesk), godkendt af ${
        p.approvers.length > 0 ? p.approvers.map((a) => `${a.name}${a.how ? ` (som bekræftede, at det var dig, ${CONFIRMED_BY[a.how] ?? 'på anden måde'})` : ''}`).join(' og ') : 'din leder'
      }. Den virker indtil ${time(p.expiresAt, zone)}.`,
      '',
      p.guideUrl ? `Hvis du selv har bedt helpdesk om den, så konfigurer nu, hvordan du logger ind: ${p.guideUrl}` : `Hvis du selv har bedt helpdesk om den, så konfigurer, hvordan du logger ind, på ${SECURITY_INFO_URL}, før den udløber.`,
      '',
      p.disputeUrl
        ? `Hvis det IKKE var dig, så åbn dette link med det samme: ${p.disputeUrl} (det virker én gang). Koden slettes straks, og sikkerhedsteamet får besked.`
        : 'Hvis det IKKE var dig, så kontakt dit IT-sikkerhedsteam med det samme.',
      '',
      'Denne besked indeholder aldrig selve koden.',
    ].join('\n'),
  ownerDeletedSubject: () => 'Den midlertidige adgangskode til din konto er slettet',
  ownerDeleted: (p, zone) =>
    `Den midlertidige adgangskode, der blev udstedt til din konto ${p.upn}${p.issuedAt ? ` ${time(p.issuedAt, zone)}` : ''} (anmodet af ${p.requester}, helpdesk), blev slettet ${time(p.deletedAt, zone)}: botten stoppede, mens den blev leveret, så for en sikkerheds skyld må ingen bruge den. Den virker ikke længere. Hvis du stadig har brug for en, så kontakt helpdesk igen.`,

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
  riskPrivilegedRolesUnknown: (p, zone) =>
    `Det kan ikke læses, om personen kan aktivere en administratorrolle (PIM): ${w(p.missing, zone)}. En kode til en administrator udstedes af identitetsteamet.`,
  riskUserRisk: (p) => `Identity Protection vurderer risikoen for personens konto som ${RISK_LEVEL[p.level] ?? p.level}.`,
};

/** Kortenes ord på dansk (samme nøgler som en.ts). */
const cards: Catalogue['cards'] = {
  scenario: {
    recovery: 'Gendannelse (mistet telefon / låst ude)',
    newJoiner: 'Ny medarbejder',
    passkeyOnboarding: 'Adgangsnøgle',
  },
  scenarioButton: { recovery: 'Gendannelse', newJoiner: 'Ny medarbejder', passkeyOnboarding: 'Adgangsnøgle' },
  attestationChoice: {
    videoCall: 'Videoopkald – jeg så og genkendte personen',
    inPerson: 'Personligt – jeg mødte og genkendte personen',
    knownNumberCall: 'Jeg ringede til et nummer, jeg kendte i forvejen',
    other: 'Andet (beskriv det i noten)',
  },
  attestationShort: { videoCall: 'videoopkald', inPerson: 'personligt fremmøde', knownNumberCall: 'opkald til et kendt nummer', other: 'på anden måde' },
  confirmedHow: { videoCall: 'via videoopkald', inPerson: 'ved personligt fremmøde', knownNumberCall: 'ved et opkald til et nummer, lederen kendte i forvejen', other: 'på anden måde' },
  confirmedToOwner: { videoCall: 'via videoopkald', inPerson: 'ved at møde dig personligt', knownNumberCall: 'ved at ringe til dig på et nummer, de kendte i forvejen', other: 'på anden måde' },
  approverKind: { manager: 'Leder', skipLevelManager: 'Leders leder', fallbackGroup: 'Reservegodkendere' },
  state: {
    PendingApproval: 'Venter på godkendelse',
    Approved: 'Godkendt: koden udstedes',
    Issuing: 'Godkendt: koden udstedes',
    Issued: 'Kode udstedt',
    Denied: 'Afvist',
    Expired: 'Udløbet uden beslutning',
    Failed: 'Mislykkedes: ingen kode udstedt',
    Cancelled: 'Annulleret',
  },
  story: { handedOver: 'Kode overdraget', passExpired: 'Kode udløbet', revoked: 'Kode tilbagekaldt', reported: 'Meldt som mistænkelig' },
  scheduledLabel: (at) => `Godkendt: koden laves ${at}`,
  usage: { once: 'Engangskode', many: 'Flere gange (indtil den udløber)' },
  existingTap: 'Brugeren har allerede en midlertidig adgangskode; godkender du, erstattes den.',
  summary: {
    approval: (requester, target, by) => `${requester} (helpdesk) beder om en midlertidig adgangskode til ${target}. Beslut senest ${by}.`,
    delivery: (target, requester, before) => `Midlertidig adgangskode til ${target} (anmodet af ${requester}): giv den videre før ${before}.`,
  },
  people: {
    and: 'og',
    more: (names, more) => `${names} og ${more} til`,
    approvers: (count) => (count === 1 ? '1 godkender' : `${count} godkendere`),
    oneOf: (names) => `en af ${names}`,
    you: 'dig',
    helpdesk: 'helpdesk',
  },
  outcome: {
    denied: (who, at) => `Afvist af ${who} den ${at}.`,
    approved: (who, at) => `Godkendt af ${who} den ${at}.`,
    confirmedCall: (number) => `Identiteten bekræftet ved et opkald til ${number}.`,
    confirmed: (how) => `Identiteten bekræftet ${how}.`,
    approvedBy: (who) => `godkendt af ${who}`,
    waitingFor: (who) => `venter på ${who}`,
    progress: (given, parts) => `${given} af 2 godkendelser: ${parts}.`,
    revoked: (who, at) => `Tilbagekaldt af ${who} den ${at}.`,
    revokedReason: (reason) => `Begrundelse: ${reason}`,
    replaced: (at, id) => `Erstattet den ${at} af en senere kode (${id}): Entra ID giver kun én kode pr. person, så denne virker ikke længere.`,
    expired: (at) => `Koden udløb den ${at}; den vises ikke længere.`,
    issued: (at, until) => `Kode udstedt den ${at}; den virker indtil ${until}.`,
    recipientManager: 'den godkendende leder',
    recipientAgent: 'helpdesk-medarbejderen, der bad om den',
    handedOver: (at) => `Overdraget den ${at}; koden er fjernet fra kortet.`,
    delivered: (to, at) => `Leveret den ${at} til ${to}.`,
    method: { microsoftAuthenticator: 'Microsoft Authenticator', fido2: 'en adgangsnøgle', windowsHelloForBusiness: 'Windows Hello for Business' },
    registered: (who, method, at) => `${who} registrerede ${method} den ${at}.`,
    deletedEarly: 'Koden blev slettet før tid: der er ikke længere brug for den.',
    expiredUnregistered: 'Koden udløb, og der blev ikke registreret en ny loginmetode: spørg brugeren, hvad der gik galt, og bed derefter om en ny kode.',
    onboardingRemoved: (at) => `Fjernet fra onboardinggruppen den ${at}.`,
    onboardingSince: (at) => `I onboardinggruppen siden ${at}, indtil en adgangsnøgle er registreret, eller koden ophører.`,
    reported: (who, at) => `Meldt som mistænkelig af ${who} den ${at}. Sikkerhedsteamet har fået besked.`,
    movedAway: (from, at, until) => `${from} var fraværende${until ? ` indtil ${until}` : ''}, så anmodningen gik videre den ${at}; ${from} kan ikke længere tage stilling til den.`,
    movedNoAnswer: (from, at) => `${from} svarede ikke i tide, så anmodningen gik videre den ${at}; ${from} kan ikke længere tage stilling til den.`,
    noDecision: (at) => `Ingen besluttede noget før den ${at}, så anmodningen kan ikke længere godkendes.`,
    decideBefore: (at) => `Beslut dig før den ${at}; derefter udløber anmodningen.`,
    yourDecision: 'Din beslutning er nødvendig',
    youApproved: (who) => `Du har godkendt; venter på ${who}`,
    ifNobodyElse: (at) => `Hvis ingen anden godkender før den ${at}, udløber anmodningen.`,
    waitingUntil: (at) => `Venter indtil den ${at}; derefter udløber anmodningen.`,
    waitingForDecision: (who, at) => `Venter på, at ${who} beslutter sig, indtil den ${at}.`,
    madeBeforeStart: (at) => `Koden laves og leveres kort før den starter, ${at}.`,
    beingIssued: 'Koden udstedes nu.',
    wasDenied: 'Anmodningen blev afvist.',
    noPass: 'Der blev ikke udstedt nogen kode.',
    expiredNoPass: (at) => `Ingen besluttede noget før ${at}, så anmodningen udløb, og der blev ikke udstedt nogen kode.`,
    stoppedByReport: 'Den blev stoppet af meldingen: der blev ikke udstedt nogen kode.',
    cancelled: (who, at) => `Annulleret af ${who} ${at}. Der blev ikke udstedt nogen kode.`,
    failed: (why) => `Der blev ikke udstedt nogen kode: ${why}`,
    failedUnknown: 'noget gik galt under udstedelsen.',
  },
  evidence: {
    notRead: 'ikke læst for denne anmodning',
    notAvailable: (missing) => `ikke tilgængelig: ${missing}`,
    mobile: 'mobil',
    business: 'arbejdstelefon',
    onFile: (number, kind) => `${number} (${kind} i kataloget)`,
    called: (label) => `ringede til ${label}`,
    methodNames: {
      microsoftAuthenticator: 'Microsoft Authenticator',
      fido2: 'adgangsnøgle (FIDO2)',
      windowsHelloForBusiness: 'Windows Hello',
      phone: 'telefon (sms eller opkald)',
      softwareOath: 'kode fra godkenderapp',
      email: 'mail',
      platformCredential: 'platformslegitimation',
      password: 'adgangskode',
    },
    phonesNotAvailable: (missing) => `ikke tilgængelig: ${missing}. Bekræft via videoopkald eller personligt, aldrig på et nummer, som den, der ringer, giver dig.`,
    phoneMobile: (n) => `${n} (mobil)`,
    phoneBusiness: (n) => `${n} (arbejde)`,
    or: ' eller ',
    noNumber: 'Intet nummer i kataloget. Bekræft via videoopkald eller personligt, aldrig på et nummer, som den, der ringer, giver dig.',
    numbers: (list) => `${list}. Aldrig et nummer, som den, der ringer, giver dig.`,
    noMethods: 'Ingen registreret.',
    methods: (list) => `${list}.`,
    newestRecent: (list, at) => `${list}. Nyeste tilføjet ${at}, kort før denne anmodning: spørg, hvorfor de har mistet den.`,
    newest: (list, at) => `${list}. Nyeste tilføjet ${at}.`,
    notRecorded: 'Ikke registreret.',
    couldNotRead: 'kunne ikke læses',
    noSignIn: 'Intet vellykket login registreret.',
    managerUnchanged: (days) => `Ikke ændret inden for de seneste ${days} dage.`,
    managerChanged: (at, by) => `Ændret ${at} af ${by}.`,
    unnamed: 'en, som auditloggen ikke navngiver',
    noRisk: 'Ingen risiko registreret.',
    risk: { low: 'Lav risiko', medium: 'Mellem risiko', high: 'Høj risiko', hidden: 'Skjult risiko', none: 'Ingen risiko' },
    riskLevel: (level, updated) => `${level}${updated ? `, opdateret ${updated}` : ''}.`,
    facts: { callBack: 'Ring tilbage på', methods: 'Loginmetoder', created: 'Konto oprettet', lastSignIn: 'Seneste login', manager: 'Leder', identityProtection: 'Identity Protection' },
    calledNumberChoice: (number, kind) => `${number} (${kind})`,
    noNumberNote: (name) => `Der er intet nummer i kataloget for ${name}: et opkald til et nummer, personen selv giver dig, tæller ikke. Vælg videoopkald eller personligt fremmøde i stedet.`,
    numbersUnavailableNote: (missing) => `Numrene i kataloget er ikke tilgængelige (${missing}). Hvis du ringede, så skriv i noten, hvilket nummer og hvorfra du kender det.`,
  },
  party: {
    revoke: 'Tilbagekald',
    revokeNow: 'Tilbagekald nu',
    revokeWarning: (name) => `${name} kan ikke længere logge ind med denne kode, og koden holder op med at virke med det samme. Det kan ikke fortrydes.`,
    report: 'Meld',
    sendReport: 'Send melding',
    reportHelp:
      'Meld den, hvis anmodningen kan være en, der udgiver sig for at være brugeren. En anmodning, der venter, stoppes, en udstedt kode tilbagekaldes, og sikkerhedsteamet får besked.',
    reasonLabel: 'Hvad gør den mistænkelig? Skal udfyldes (sikkerhedsteamet læser det)',
    reasonPlaceholder: 'For eksempel: den, der ringede, kunne ikke sige sit medarbejdernummer',
  },
  facts: {
    validFor: 'Gyldig i',
    use: 'Brug',
    starts: 'Starter',
    asSoonAsIssued: 'Så snart den er udstedt',
    scenario: 'Formål',
    requestedOn: 'Anmodet',
    decideBy: 'Beslut senest',
    deadlineWas: 'Frist for beslutning var',
  },
  notes: { reported: 'Hvorfor den blev meldt: ', reason: 'Begrundelse', approverNote: 'Godkenderens note', by: (label, who) => `${label} (${who}): `, plain: (label) => `${label}: ` },
  approval: {
    risks: {
      multiUse: 'Flere gange: koden virker til et vilkårligt antal login, indtil den udløber.',
      longLifetime: (lifetime, usual) => `Lang levetid: ${lifetime}, længere end de sædvanlige ${usual}.`,
      startsLater: (at) => `Starter senere, ${at}: kontrollér, at det stadig er personen selv, der skal bruge den.`,
      one: 'Advarsel: kontrollér dette, før du godkender',
      many: (count) => `Advarsel: kontrollér disse ${count} ting, før du godkender`,
    },
    elevated: { open: 'Forhøjet risiko: to godkendelser kræves', closed: 'Forhøjet risiko: to godkendelser var påkrævet', plain: 'Forhøjet risiko' },
    bothApprove: (first, second) => `Både ${first} og ${second} skal godkende.`,
    oneOfApproves: (first, others) => `${first} skal godkende, og det skal ${others} også.`,
    titleDecide: (name) => `Godkend en midlertidig adgangskode til ${name}?`,
    title: (name) => `Midlertidig adgangskode til ${name}`,
    subtitle: (id, who) => `Anmodning ${id} fra ${who}, helpdesk`,
    whoAsks: 'Hvem spørger',
    whoAsksValue: (name) => `${name}, helpdesk`,
    for: 'Til',
    name: 'Navn',
    signInName: 'Loginnavn',
    jobTitle: 'Stilling',
    department: 'Afdeling',
    requestedBy: 'Anmodet af',
    signalsHeading: (name) => `Hvad Entra ID siger om ${name}`,
    decideAdvice: (name) =>
      `Godkend kun, hvis du selv har sikret dig, at det virkelig er ${name}, der spørger, og ikke en, der udgiver sig for at være personen: ` +
      'se personen på video, mød personen, eller ring tilbage på et nummer i kataloget. Koden åbner kontoen for den, der har den.',
    callTitle: 'Ring i Teams',
    template: {
      why: 'Hvorfor: ',
      notApprovedYet: 'Ikke godkendt endnu',
      openAgain: 'Åbn Godkend igen: dit valg og din note er gemt.',
      beforeYouApprove: 'Før du godkender',
      approve: 'Godkend',
      confirmApproval: 'Bekræft godkendelse',
      attestationLabel: 'Hvordan har du sikret dig, at det virkelig er personen? (skal vælges)',
      calledNumberLabel: 'Hvis du ringede: hvilket nummer i kataloget?',
      noteLabel: 'Note (skal udfyldes, når du vælger Andet)',
      notePlaceholder: 'For eksempel: hvor du mødte personen',
      deny: 'Afvis',
      confirmDenial: 'Bekræft afvisning',
      denyReasonLabel: 'Begrundelse (valgfri; helpdesk kan se den)',
      denyReasonPlaceholder: 'For eksempel: Jeg kunne ikke få fat i personen',
      details: 'Detaljer',
      whoNeedsIt: 'Hvem skal have koden',
      theRequest: 'Anmodningen',
      ticket: 'Sag: ',
      settings: 'Indstillinger for den midlertidige adgangskode',
      refresh: 'Opdater',
    },
  },
  status: {
    title: (id) => `Anmodning ${id}`,
    subtitle: (who) => `Til ${who}`,
    askedToApprove: 'Bedt om at godkende',
    approvers: 'Godkendere',
    approver: 'Godkender',
    secondApprover: 'Anden godkender',
    passGoesTo: 'Koden sendes til',
    toManager: 'Den godkendende leder',
    toAgent: 'Dig (helpdesk-medarbejderen, der bad om den)',
    existingPass: 'Eksisterende kode',
    replacedIfApproved: 'Erstattes, hvis anmodningen godkendes',
    template: { request: 'Anmodning', reason: 'Begrundelse: ', ticket: 'Sag: ', cancel: 'Annuller' },
  },
  list: {
    count: (n) => (n === 1 ? '1 anmodning' : `${n} anmodninger`),
    cut: (counted, finished) => `${counted}: de åbne og de ${finished} senest afsluttede. Ældre anmodninger vises ikke.`,
    empty: 'Ingen anmodninger at vise.',
    detail: (upn, scenario, at) => `${upn} · ${scenario} · anmodet ${at}`,
    footerCut: 'Skriv status efterfulgt af loginnavnet for at se ældre anmodninger for én bruger, fx status megan@contoso.com.',
    footer: 'Skriv status efterfulgt af et loginnavn, fx status megan@contoso.com, for at se én brugers anmodninger.',
  },
  delivery: {
    revoked: (at) => `Koden blev tilbagekaldt ${at}: den virker ikke længere og vises ikke.`,
    replaced: (id, at) => `En senere kode (${id}) erstattede denne ${at}: koden virker ikke længere og vises ikke. Giv den ikke videre.`,
    handedOver: (at) => `Koden er fjernet: overdraget ${at}.`,
    expired: (at) => `Koden udløb ${at}. Den vises ikke længere.`,
    hidden: 'Koden vises ikke længere på dette kort.',
    readItOut: 'Læs den op på dansk: ',
    inPerson: 'Personligt eller i et opkald, du selv har startet til et nummer, du kender: læs koden op, tegn for tegn.',
    guide: (first, url) => `Hvis ${first} er låst ude, så læs denne vejledning op eller send den som sms: ${url} (den indeholder ingen personoplysninger og ingen kode).`,
    signsIn: (first, url) => `${first} logger ind på ${url}. Læs adressen op: på din egen computer ville den åbne dine sikkerhedsoplysninger, ikke personens.`,
    title: (first) => `Giv dette til ${first}`,
    subtitle: (name, upn, id) => `Midlertidig adgangskode til ${name} (${upn}) · anmodning ${id}`,
    groupsNote: 'Mellemrummene gør den kun lettere at læse: koden har ingen. Skriv den uden mellemrum.',
    for: 'Til',
    whenIssued: 'Når den er udstedt',
    expires: 'Udløber',
    afterStart: (lifetime) => `${lifetime} efter start`,
    handOverHeading: (first) => `Sådan giver du den til ${first}`,
    handOverLast: (first) => `Giv kun koden til ${first}, når du er sikker på, at det er personen. Vælg derefter Overdraget: koden fjernes fra dette kort.`,
    template: { pass: 'Midlertidig adgangskode', handedOver: 'Overdraget' },
  },
  guideCard: {
    stopped: 'Stoppet',
    noLongerWorks: 'Denne kode virker ikke længere. Hvis du stadig skal konfigurere, hvordan du logger ind, så bed helpdesk om en ny.',
  },
  owner: {
    askedBy: 'Anmodet af',
    askedByValue: (name) => `${name} (helpdesk)`,
    approvedBy: 'Godkendt af',
    issued: 'Udstedt',
    stopped: 'Stoppet',
    worksUntil: 'Virker indtil',
    approverLine: (name, how) => `${name} (bekræftede, at det var dig, ${how})`,
    byCalling: (number) => `ved at ringe til dig på ${number}`,
    guide: (url) => `Trin-for-trin-vejledning: ${url}`,
    disputed: {
      title: 'Tak: koden er stoppet',
      intro: (upn) => `Du har sagt, at du ikke bad om denne kode. Den virker ikke længere for ${upn}, og sikkerhedsteamet har fået besked. Du behøver ikke gøre mere nu.`,
      ifYou: 'Sikkerhedsteamet kontakter dig måske for at høre, hvad der skete.',
      ifNotYou: 'Hvis du alligevel bad om den, så sig det til helpdesk: de kan bede om en ny.',
    },
    stoppedNotice: {
      title: 'Koden til din konto er stoppet',
      intro: (upn) => `Der blev udstedt en midlertidig adgangskode til ${upn}, og den blev derefter stoppet: den virker ikke længere.`,
      ifYou: 'Hvis du stadig har brug for en, så spørg helpdesk igen.',
      ifNotYou: 'Hvis du ikke bad om denne kode, så tryk på "Det var ikke mig", så sikkerhedsteamet ved, at det ikke var dig.',
    },
    issuedNotice: {
      title: 'Der er udstedt en midlertidig adgangskode til din konto',
      intro: (upn) => `Helpdesk har lavet en midlertidig adgangskode til ${upn}: en kode, som du kan logge ind med i kort tid for at konfigurere en ny måde at logge ind på.`,
      ifYou: (url) => `Hvis du bad helpdesk om den, giver de dig koden. Konfigurer derefter Microsoft Authenticator eller en adgangsnøgle på ${url}, før den udløber.`,
      ifNotYou: 'Hvis du ikke bad om den, så tryk på "Det var ikke mig". Koden slettes med det samme, og sikkerhedsteamet får besked.',
    },
    template: { noPass: 'Denne besked indeholder aldrig selve koden.', notMe: 'Det var ikke mig' },
  },
  welcome: {
    title: 'TAP-helpdesk',
    subtitle: 'Midlertidige adgangskoder, bekræftet af brugerens leder',
    intro:
      'Jeg skaffer en midlertidig adgangskode til en bruger, der har mistet sin telefon, er ny eller skal oprette en adgangsnøgle. ' +
      'Før en kode udstedes, bekræfter brugerens leder på et godkendelseskort, hvem personen er. ' +
      'Koden vises én gang for den, der giver den videre, sammen med en vejledning til brugeren.',
    audience: [
      'Helpdesk-medarbejdere (medlemmer af helpdesk-gruppen) kan bede om koder.',
      'Ledere får godkendelseskort her og bekræfter, hvordan de har tjekket personen.',
      'Der udstedes aldrig koder til gæster, administratorer eller beskyttede konti.',
    ],
    notAgent:
      'Du er ikke med i helpdesk-gruppen, så du kan ikke bede om koder. ' +
      'Er du leder, kommer anmodninger om godkendelse for dine medarbejdere i denne chat.',
    template: { whoCanUse: 'Hvem kan bruge den', commands: 'Kommandoer' },
  },
  commands: {
    tap: 'Se, hvem det er, og bed derefter om en midlertidig adgangskode til personen.',
    tapGroup: 'Koder til alle medlemmer af en gruppe (navn eller objekt-id): tjekket og godkendt én gang af en godkender af gruppekoder.',
    status: 'Dine seneste anmodninger.',
    statusFor: 'Seneste anmodninger for brugeren.',
    cancel: 'Annuller en anmodning, der stadig venter på godkendelse (eller BULK-… for at stoppe en gruppeanmodning).',
    revoke: 'Slet en udstedt kode, så den ikke længere virker.',
    revokeBulk: 'Stop alle koder, som en gruppeanmodning har lavet (og anmodningen, hvis den stadig kører).',
    report: 'Meld en anmodning som mistænkelig: den stoppes (eller koden tilbagekaldes), og sikkerhedsteamet får besked.',
    help: 'Vis denne liste.',
    pending: 'Anmodninger, der venter på din beslutning.',
    revokeOwn: 'Slet en kode, du har godkendt, så den ikke længere virker.',
    pendingOther: 'Anmodninger om godkendelse, der venter på dig (hvis helpdesk beder dig bekræfte en person).',
    reportWhy: '<hvorfor>',
  },
  help: {
    title: 'Det kan du skrive',
    agentSubtitle: 'Kommandoer for helpdesk-medarbejdere i denne chat',
    agentFooter:
      'Hver anmodning godkendes af brugerens leder (eller lederens leder eller reservegodkenderne). ' +
      'Koden vises én gang og fjernes fra kortet, når du markerer den som overdraget, eller når den udløber.',
    approverSubtitle: 'For godkendere i denne chat',
    approverFooter:
      'Når helpdesk beder om en kode til en af dine medarbejdere, kommer godkendelseskortet her. ' +
      'Godkend kun, når du har sikret dig, at det virkelig er personen: via videoopkald, personligt eller ved at ringe til et nummer, du kendte i forvejen.',
    otherTitle: 'TAP-helpdesk',
    otherSubtitle: 'Midlertidige adgangskoder til helpdesk',
    otherFooter:
      'Du er ikke med i helpdesk-gruppen, så du kan ikke bede om koder. Er du leder, kommer godkendelseskort for dine medarbejdere ' +
      'i denne chat. Har du selv brug for en kode, så kontakt helpdesk: de beder din leder bekræfte, at det er dig.',
  },
  form: {
    lifetimeLabel: (bounds) => `Hvor længe koden virker (jeres politik tillader ${bounds})`,
    bounds: (min, max) => `${min} til ${max}`,
    lifetimeDefault: (lifetime) => `${lifetime} (standard)`,
    chosen: (scenario) => `Valgt: ${scenario}`,
    noneChosen: 'Der er ikke valgt et formål endnu: vælg en af knapperne.',
    startLabel: (zone) => `Starter: dato og klokkeslæt i ${zone}`,
    template: {
      title: 'Bed om en midlertidig adgangskode',
      subtitle: 'Brugerens leder bliver bedt om at bekræfte, hvem personen er, før koden udstedes.',
      notSent: 'Ikke sendt endnu',
      userLabel: 'Bruger, skal udfyldes (loginnavn eller mail)',
      whatFor: 'Hvad skal den bruges til? Hvert valg sætter sine egne standarder herunder.',
      scenarioLabel: 'Formål (knapperne ovenfor sætter også standarderne)',
      scenarioPlaceholder: 'Vælg et formål',
      dropdownKeeps: 'Knapperne ovenfor udfylder et formåls indstillinger med det samme. Vælger du i listen i stedet, udfylder Send dem først, så du kan tjekke dem.',
      reasonLabel: 'Begrundelse, skal udfyldes (godkenderen ser den)',
      reasonPlaceholder: 'Hvad skete der, og hvordan kontaktede brugeren dig',
      ticketLabel: 'Sagsnummer (valgfrit)',
      firstDay: 'Første dag',
      startTime: 'Starttidspunkt',
      useLabel: 'Brug',
      oneTime: 'Engangskode (koden holder op med at virke efter første login)',
      forcedOneTime: 'Jeres politik gør alle koder til engangskoder.',
      submit: 'Bed om godkendelse',
    },
  },
  bulk: {
    scenario: { newJoiner: 'Nye medarbejdere (første morgen)', recovery: 'Gendannelse (mistet eller ny telefon)', passkeyOnboarding: 'Adgangsnøgle (flere gange)' },
    state: {
      PendingApproval: 'Venter på godkendelse',
      Issuing: 'Godkendt',
      Completed: 'Færdig',
      Denied: 'Afvist',
      Cancelled: 'Stoppet',
      Expired: 'Udløbet uden beslutning',
      Failed: 'Stoppet: der laves ikke flere',
    },
    form: {
      title: 'Koder til en gruppe',
      intro: (zone) =>
        `Én anmodning for alle medlemmer af en Entra-gruppe (fx HR's nye medarbejdere). Hvert medlem tjekkes som ved en enkelt kode; administratorer, gæster, beskyttede og deaktiverede konti udelades, og du ser hvem og hvorfor, før nogen godkender. En godkender af gruppekoder beslutter én gang. Tidspunkter er i ${zone}.`,
      group: 'Gruppe, skal udfyldes (visningsnavn eller objekt-id)',
      scenario: 'Formål',
      startDate: (zone) => `Startdato (tom: næste arbejdsdag, ${zone})`,
      startTime: 'Starttidspunkt (tomt: formålets start, kl. 08.00 for nye medarbejdere)',
      lifetime: 'Levetid',
      reason: 'Begrundelse, skal udfyldes (det, revisorerne læser)',
      ticket: 'Sag (valgfri)',
      submit: 'Tjek gruppen',
    },
    more: (n) => `…og ${n} til.`,
    eligibleDetail: (department, manager, start) => `${department ? `${department} · ` : ''}leder: ${manager} · starter ${start}`,
    noManager: 'ingen i kataloget',
    showAll: (n) => `Vis alle ${n}`,
    secondsLeft: (n) => `ca. ${n} sekunder tilbage`,
    minutesLeft: (n) => `ca. ${n} minutter tilbage`,
    asSoonAsMade: 'så snart hver kode er lavet',
    progressPending: (eligible, total, refused) => `${eligible} af ${total} medlemmer kan få en kode; ${refused} kan ikke (se nedenfor).`,
    progress: (done, eligible, issued, failed, waiting) =>
      `${done} af ${eligible} færdige: ${issued} udstedt, ${failed} mislykkedes${waiting > 0 ? `, ${waiting} mangler` : ''}.`,
    title: (group) => `Koder til ${group}`,
    askedBy: 'Anmodet af',
    viaCli: ' (admin-kommandolinje)',
    reason: 'Begrundelse',
    scenarioFact: 'Formål',
    starts: 'Starter',
    lifetime: 'Levetid',
    once: 'kun ét login',
    many: 'kan bruges flere gange',
    members: 'Medlemmer',
    nested: ' (inkl. indlejrede grupper)',
    direct: ' (direkte medlemmer)',
    codesGoTo: 'Koderne sendes til',
    eachManager: 'hvert medlems leder',
    approvedBy: 'Godkendt af',
    deniedBy: 'Afvist af',
    decideBy: 'Beslut senest',
    approvers: 'Godkendere',
    notCounted: (n, names) => `Ikke talt med: ${n} indlejrede grupper (${names}). Medlemmer af indlejrede grupper udelades (BULK_INCLUDE_NESTED=false).`,
    wouldGet: (n) => `Ville få en kode (${n}):`,
    scheduled: (at) => `Godkendt. Koderne laves ${at}, kort før de starter, efter at hvert medlem er tjekket igen; koderne kommer til den tid.`,
    replacing: (n) => (n === 1 ? 'Bemærk: 1 medlem har allerede en kode; den nye erstatter den.' : `Bemærk: ${n} medlemmer har allerede en kode; den nye erstatter den.`),
    noPassFor: (n) => `Ingen kode til ${n}:`,
    failedFor: (n) => `Mislykkedes for ${n}:`,
    approving: (n, to) => `Godkender du, får hvert af de ${n} medlemmer en kode, som leveres til ${to}.`,
    theirManager: 'deres leder',
    attestation: 'Jeg har tjekket navnene på listen mod de nye medarbejdere, HR venter (eller en anden kilde, jeg stoler på), og hver af dem skal have en kode.',
    denyReason: 'Begrundelse, hvis du afviser (valgfri)',
    approve: 'Godkend',
    deny: 'Afvis',
    stop: 'Stop',
    withdraw: 'Træk tilbage',
    refresh: 'Opdater',
    summary: (id, state, issued, eligible) => `${id}: ${state}, ${issued} af ${eligible} udstedt`,
    page: {
      expired: 'koderne er udløbet',
      handedOver: 'du har markeret dem som overdraget',
      onlyOnce: 'koderne vises kun én gang, når de laves',
      validity: (from, until) => `Fra ${from} til ${until}`,
      toStop: (id) => ` · stop den med: revoke ${id}`,
      title: (group, n) => `${group}: koder, side ${n}`,
      members: (n) => (n === 1 ? '1 medlem' : `${n} medlemmer`),
      give: (url, guide) =>
        `Giv hver person deres egen kode og intet andet fra dette kort. De åbner ${url}, logger ind med koden og registrerer Microsoft Authenticator (login med telefonen) eller en adgangsnøgle, før den udløber. Vejledningen, de skal have: ${guide}`,
      hidden: (why) => `Koderne er skjult: ${why}. Er en kode gået tabt, så tilbagekald den, og bed om en ny til personen.`,
      groups: 'En kode, der vises i grupper af fire, har ingen mellemrum: skriv den uden. Når alle har fået deres kode, så vælg Alle overdraget for at skjule koderne.',
      allHandedOver: 'Alle overdraget',
      summary: (id, n, group) => `${id}: side ${n} af koderne til ${group}`,
    },
  },
};

/** Når der ventes på en godkender: påmindelsen, en anmodning der er gået videre til næste godkender, og når der ikke er flere (flow/decide/escalation.ts). */
const waitingWho = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? 'godkenderen') : `${names.slice(0, -1).join(', ')} eller ${names[names.length - 1]}`);
const waiting: Catalogue['waiting'] = {
  who: (names) => waitingWho(names),
  fallbackGroup: (names) => `reservegodkenderne (${waitingWho(names)})`,
  reminderTitle: (requestId) => `Påmindelse: ${requestId} venter på din beslutning`,
  reminderText: (p) =>
    `${p.requester} har bedt om en midlertidig adgangskode til ${p.target}, og anmodningen venter på dig. Godkendelseskortet ligger længere oppe i denne chat. Tag stilling senest ${time(p.until, p.zone)}: ${p.movesOn ? 'derefter går anmodningen videre til den næste godkender, reglerne tillader, og du kan ikke længere tage stilling til den.' : 'derefter udløber anmodningen.'}`,
  movedTitle: (requestId, to) => `${requestId} venter nu på ${to}`,
  movedAway: (p) =>
    `${p.from} er fraværende${p.until ? ` til ${time(p.until, p.zone)}` : ''} (autosvar er slået til), så anmodningen er sendt videre til ${p.to}, som er den næste godkender, reglerne tillader. ${p.to} har nu godkendelseskortet.`,
  movedNoAnswer: (p) =>
    `${p.from} svarede ikke inden for ${p.minutes} minutter, så anmodningen er sendt videre til ${p.to}, som er den næste godkender, reglerne tillader. ${p.to} har nu godkendelseskortet, og ${p.from} kan ikke længere tage stilling til den.`,
  movedFromYouTitle: (requestId) => `${requestId} er sendt videre til en anden godkender`,
  movedFromYouText: (p) =>
    `Anmodningen om en midlertidig adgangskode til ${p.target} venter nu på ${p.to}. Du kan ikke længere tage stilling til den, og der er ikke brug for mere fra dig.`,
  nobodyLeftTitle: (requestId) => `${requestId} venter stadig`,
  nobodyLeftText: (p) =>
    `${p.who} har ikke svaret, og reglerne tillader ikke, at andre tager stilling til anmodningen. Den venter på ${p.who} indtil ${time(p.until, p.zone)} og udløber derefter. Ring til vedkommende, eller bed din IT-administrator om at oprette en gruppe af reservegodkendere.`,
  awayNobodyElse: (p) =>
    `${p.who} er fraværende${p.until ? ` til ${time(p.until, p.zone)}` : ''} (autosvar er slået til), og reglerne tillader ikke, at andre tager stilling til anmodningen, så den venter på vedkommende.`,
  movedOn: (requestId, to) => `Anmodning ${requestId} er sendt videre til ${to}, så du kan ikke længere tage stilling til den.`,
  awayNotAvailable: (missing) => `Fravær: ikke tilgængeligt (${missing})`,
};

export const da: Catalogue = {
  guide,
  waiting,
  cards,
  time,
  duration,
  errors,
  reasons,
  chat,
  stepUp,
};
