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

export const da: Catalogue = {
  guide,
  waiting,
  stepUp,
};
