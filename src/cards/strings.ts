/**
 * What the end user reads, in every language we ship: the guide card and the guide page
 * (src/web/guidePage.ts) are both built from this one catalogue, so they always say the same.
 * Nothing here names a person or holds a time: the page is public, and the card adds its
 * facts (account, validity) around these texts. Typed so a missing translation is a
 * compile error, not a blank line on something read while locked out.
 */
import type { Scenario } from '../flow/types';
import type { Language } from '../flow/follow/guideLinks';

export const SECURITY_INFO_URL = 'https://aka.ms/mysecurityinfo';

export interface GuideStrings {
  title: string;
  /** The card's line under the title. */
  subtitle: (displayName: string) => string;
  intro: Record<Scenario, string>;
  facts: { account: string; validFrom: string; validUntil: string; use: string };
  startsWhenIssued: string;
  usableOnce: string;
  usableMany: string;
  stepsHeading: string;
  /** The same numbered steps on the card and the page. */
  steps: Record<Scenario, string[]>;
  /** How a one-time or a multi-use pass changes what to do. */
  usage: { once: string; many: string };
  /** On the page, which does not know the pass: the usual kind of pass for the scenario. */
  scenarioUsage: Record<Scenario, 'once' | 'many'>;
  finishBy: (expiresAt: string) => string;
  finishWithin: (lifetime: string) => string;
  troubleHeading: string;
  trouble: string[];
  doNotShare: string;
  /** On the card: where the same guide opens on a phone. */
  onYourPhone: (url: string) => string;
  /** The page's own lines. */
  page: { language: string; otherLanguage: string; noPersonalData: string };
}

const EN: GuideStrings = {
  title: 'Set up how you sign in',
  subtitle: (name) => `For ${name}, with the Temporary Access Pass from the helpdesk`,
  intro: {
    recovery:
      'Lost your phone or locked out? The Temporary Access Pass gets you back in, so you can set up a new way to sign in.',
    newJoiner:
      'Welcome! Use the Temporary Access Pass to sign in for the first time and set up how you will sign in from now on.',
    passkeyOnboarding:
      'Use the Temporary Access Pass to add a passkey, so you can sign in without a password.',
  },
  facts: { account: 'Your account', validFrom: 'Valid from', validUntil: 'Valid until', use: 'Use' },
  startsWhenIssued: 'As soon as it is issued',
  usableOnce: 'One sign-in only',
  usableMany: 'As often as needed until it expires',
  stepsHeading: 'What to do',
  steps: {
    recovery: [
      `On a computer or your new phone, go to ${SECURITY_INFO_URL}`,
      'Sign in with your work account. When asked, enter the Temporary Access Pass instead of a password.',
      'Add Microsoft Authenticator and turn on phone sign-in, or add a passkey (in Authenticator or on a security key). Follow the steps on the screen.',
      'Sign out and sign in again with the new method to check that it works.',
    ],
    newJoiner: [
      `Go to ${SECURITY_INFO_URL}`,
      'Sign in for the first time with your work account. When asked, enter the Temporary Access Pass instead of a password.',
      'Set up Microsoft Authenticator with phone sign-in, or a passkey (in Authenticator or on a security key): this is how you sign in from now on.',
      'Sign out and sign in again with the new method to check that it works.',
    ],
    passkeyOnboarding: [
      'Install Microsoft Authenticator on your phone, if it is not there yet.',
      `Go to ${SECURITY_INFO_URL} and sign in with your work account. When asked, enter the Temporary Access Pass.`,
      'Choose Add sign-in method, then Passkey in Microsoft Authenticator. Authenticator asks you to sign in once more: enter the same pass again.',
      'Sign out and sign in again with the passkey to check that it works.',
    ],
  },
  usage: {
    once: 'The pass works for one sign-in only: do everything in one sitting, without signing out, and finish within about 10 minutes of signing in.',
    many: 'The pass works for several sign-ins until it expires. Adding a passkey in Microsoft Authenticator needs two of them.',
  },
  scenarioUsage: { recovery: 'once', newJoiner: 'once', passkeyOnboarding: 'many' },
  finishBy: (at) => `Finish before the pass expires: ${at}.`,
  finishWithin: (lifetime) => `Finish before the pass expires, ${lifetime} after it starts.`,
  troubleHeading: 'If it does not work',
  trouble: [
    'The pass has expired, or it was for one sign-in and is used up: ask the helpdesk for a new one.',
    '"You can\'t use this method": the pass may not be enabled for your account. Contact the helpdesk.',
  ],
  doNotShare: 'Do not share the pass with anyone. It opens your account, and nobody from IT will ask you for it.',
  onYourPhone: (url) => `This guide on your phone: ${url}`,
  page: { language: 'English', otherLanguage: 'Dansk', noPersonalData: 'This page is the same for everyone: it holds no personal data and no pass.' },
};

const DA: GuideStrings = {
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

export const GUIDE_STRINGS: Record<Language, GuideStrings> = { en: EN, da: DA };
