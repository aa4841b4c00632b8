/**
 * The end user's guide, in every language we ship. Typed so a missing translation is a
 * compile error, not a blank line on a card someone reads while locked out.
 */
import type { Scenario } from '../flow/types';
import type { Language } from './format';

export interface GuideStrings {
  title: string;
  subtitle: (displayName: string) => string;
  intro: Record<Scenario, string>;
  facts: { account: string; validFrom: string; validUntil: string; use: string };
  startsWhenIssued: string;
  usableOnce: string;
  usableMany: string;
  stepsHeading: string;
  steps: {
    open: string;
    signIn: (userPrincipalName: string) => string;
    addMethod: string;
    beforeExpiry: (expiresAt: string) => string;
    beforeExpiryUnknown: (lifetime: string) => string;
  };
  troubleHeading: string;
  trouble: { expiredOrUsed: string; cannotUseMethod: string };
  doNotShare: string;
  openButton: string;
}

export const GUIDE_STRINGS: Record<Language, GuideStrings> = {
  en: {
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
      open: 'Open My Security Info at https://aka.ms/mysecurityinfo (the button below).',
      signIn: (upn) =>
        `Sign in as ${upn}. When asked, enter the Temporary Access Pass instead of a password.`,
      addMethod:
        'Add Microsoft Authenticator and turn on phone sign-in, or add a passkey (in Authenticator or on a security key). Follow the steps on the screen.',
      beforeExpiry: (at) => `Finish before the pass expires: ${at}.`,
      beforeExpiryUnknown: (lifetime) => `Finish before the pass expires, ${lifetime} after it starts.`,
    },
    troubleHeading: 'If it does not work',
    trouble: {
      expiredOrUsed:
        'The pass has expired, or it was for one sign-in and is used up: ask the helpdesk for a new one.',
      cannotUseMethod:
        '"You can\'t use this method": the pass may not be enabled for your account. Contact the helpdesk.',
    },
    doNotShare:
      'Do not share the pass with anyone. It opens your account, and nobody from IT will ask you for it.',
    openButton: 'Open My Security Info',
  },
  da: {
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
      open: 'Åbn Mine sikkerhedsoplysninger på https://aka.ms/mysecurityinfo (knappen nedenfor).',
      signIn: (upn) =>
        `Log ind som ${upn}. Når du bliver spurgt, skal du indtaste den midlertidige adgangskode i stedet for din adgangskode.`,
      addMethod:
        'Tilføj Microsoft Authenticator, og slå login med telefonen til – eller tilføj en adgangsnøgle (i Authenticator eller på en sikkerhedsnøgle). Følg vejledningen på skærmen.',
      beforeExpiry: (at) => `Gør det færdigt, før koden udløber: ${at}.`,
      beforeExpiryUnknown: (lifetime) => `Gør det færdigt, før koden udløber – den gælder i ${lifetime} fra starttidspunktet.`,
    },
    troubleHeading: 'Hvis det ikke virker',
    trouble: {
      expiredOrUsed:
        'Koden er udløbet, eller den var kun til ét login og er brugt: Bed helpdesk om en ny.',
      cannotUseMethod:
        '"Du kan ikke bruge denne metode": Koden er måske ikke slået til for din konto. Kontakt helpdesk.',
    },
    doNotShare:
      'Del ikke koden med nogen. Den giver adgang til din konto, og ingen fra IT vil bede dig om den.',
    openButton: 'Åbn Mine sikkerhedsoplysninger',
  },
};
