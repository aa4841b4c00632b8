/**
 * What the approvers are shown to judge the caller: the signals read when the request was
 * made (numbers on file, sign-in methods, account age and last sign-in, a manager change,
 * Identity Protection risk), the risk they add up to, and which number on file was called.
 * A signal that could not be read says "not available" and what it needs: a missing line
 * would read as "nothing to worry about".
 */
import type { Decision, TapRequest } from '../flow/types';
import { MANAGER_CHANGE_LOOKBACK_DAYS } from '../graph/signals';
import type { RegisteredMethod, Signal, TargetSignals } from '../graph/types';
import { clientInstant } from './format';
import { ATTESTATION_SHORT } from './labels';
import type { Fact } from './labels';

/** A request made before signals were read (or by a gateway that reads none) still says so. */
const NOT_READ = 'not read for this request';

function notAvailable(missing: string): string {
  return `not available: ${missing}`;
}

/** One number on file, with the kind of number it is. */
interface NumberOnFile {
  number: string;
  /** "mobile" or "business phone". */
  kind: string;
}

/** The numbers on file in the order to call them: mobile first, then business phones. */
function numbersOnFile(req: TapRequest): NumberOnFile[] {
  const phones = req.signals?.phones;
  if (!phones?.available) return [];
  return [
    ...(phones.value.mobile ? [{ number: phones.value.mobile, kind: 'mobile' }] : []),
    ...phones.value.business.map((number) => ({ number, kind: 'business phone' })),
  ];
}

const digits = (n: string): string => n.replace(/[^\d+]/g, '');

/** "+45 20 11 22 33 (mobile on file)"; a number no longer on the request's list is shown as given. */
export function calledNumberLabel(req: TapRequest, number: string): string {
  const found = numbersOnFile(req).find((n) => digits(n.number) === digits(number));
  return found ? `${found.number} (${found.kind} on file)` : number;
}

/** "video call", or "called +45 20 11 22 33 (mobile on file)" when the approver named the number. */
export function howConfirmed(req: TapRequest, d: Decision): string | undefined {
  if (!d.attestation) return undefined;
  if (d.attestation === 'knownNumberCall' && d.calledNumber) return `called ${calledNumberLabel(req, d.calledNumber)}`;
  return ATTESTATION_SHORT[d.attestation];
}

const METHOD_NAMES: Record<string, string> = {
  microsoftAuthenticator: 'Microsoft Authenticator',
  fido2: 'passkey (FIDO2)',
  windowsHelloForBusiness: 'Windows Hello',
  phone: 'phone (SMS or call)',
  softwareOath: 'authenticator app code',
  email: 'email',
  platformCredential: 'platform credential',
  password: 'password',
};

function methodList(registered: RegisteredMethod[]): string {
  const counts = new Map<string, number>();
  // The password says least about who they are: it goes last.
  const ordered = [...registered.filter((m) => m.type !== 'password'), ...registered.filter((m) => m.type === 'password')];
  for (const m of ordered) {
    const name = METHOD_NAMES[m.type] ?? m.type;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${name} (${n})` : name)).join(', ');
}

function phonesValue(signal: TargetSignals['phones']): string {
  if (!signal.available) return `${notAvailable(signal.missing)}. Verify by video call or in person, never on a number the caller gives you.`;
  const { mobile, business } = signal.value;
  const list = [...(mobile ? [`${mobile} (mobile)`] : []), ...business.map((b) => `${b} (business)`)];
  if (list.length === 0) return 'No number on file. Verify by video call or in person, never on a number the caller gives you.';
  return `${list.join(' or ')}. Never a number the caller gives you.`;
}

function methodsValue(req: TapRequest, signal: TargetSignals['methods']): string {
  if (!signal.available) return notAvailable(signal.missing);
  const { registered, newestAddedAt } = signal.value;
  if (registered.length === 0) return 'None registered.';
  const list = methodList(registered);
  if (!newestAddedAt) return `${list}.`;
  // The risk rule is the one home of "recent"; the card asks the question it implies.
  const recent = req.risk?.rules.includes('methodRegisteredRecently') === true;
  return `${list}. Newest added ${clientInstant(newestAddedAt)}${recent ? ', shortly before this request: ask why they lost it.' : '.'}`;
}

function createdValue(signal: TargetSignals['account']): string {
  if (!signal.available) return notAvailable(signal.missing);
  return signal.value.createdDateTime ? clientInstant(signal.value.createdDateTime) : 'Not recorded.';
}

function signInValue(signals: TargetSignals): string {
  const account = signals.account;
  if (!account.available) return notAvailable(signals.signInMissing ?? account.missing);
  const last = account.value.lastSuccessfulSignIn;
  if (last === undefined) return notAvailable(signals.signInMissing ?? 'could not be read');
  return last ? clientInstant(last) : 'No successful sign-in recorded.';
}

function managerValue(signal: TargetSignals['managerChange']): string {
  if (!signal.available) return notAvailable(signal.missing);
  const change = signal.value;
  if (!change) return `Not changed in the last ${MANAGER_CHANGE_LOOKBACK_DAYS} days.`;
  return `Changed on ${clientInstant(change.changedAt)} by ${change.by ?? 'someone the audit log does not name'}.`;
}

function riskValue(signal: TargetSignals['risk']): string {
  if (!signal.available) return notAvailable(signal.missing);
  const risk = signal.value;
  if (!risk) return 'No risk recorded.';
  return `${risk.level.charAt(0).toUpperCase()}${risk.level.slice(1)} risk${risk.updatedAt ? `, updated ${clientInstant(risk.updatedAt)}` : ''}.`;
}

const EVERY_SIGNAL_NOT_READ: TargetSignals = {
  phones: { available: false, missing: NOT_READ },
  methods: { available: false, missing: NOT_READ },
  account: { available: false, missing: NOT_READ },
  managerChange: { available: false, missing: NOT_READ },
  risk: { available: false, missing: NOT_READ },
};

/** Every signal as one short fact, in the order a caller is checked: how to call back first. */
export function signalFacts(req: TapRequest): Fact[] {
  const s = req.signals ?? EVERY_SIGNAL_NOT_READ;
  return [
    { title: 'Call back on', value: phonesValue(s.phones) },
    { title: 'Sign-in methods', value: methodsValue(req, s.methods) },
    { title: 'Account created', value: createdValue(s.account) },
    { title: 'Last sign-in', value: signInValue(s) },
    { title: 'Manager', value: managerValue(s.managerChange) },
    { title: 'Identity Protection', value: riskValue(s.risk) },
  ];
}

/** The choices of the "which number did you call" input, and what to say when there are none. */
export function calledNumberChoices(req: TapRequest): { choices: Fact[]; note: string } {
  const phones = req.signals?.phones ?? ({ available: false, missing: NOT_READ } as Signal<never>);
  const choices = numbersOnFile(req).map((n) => ({ title: `${n.number} (${n.kind})`, value: n.number }));
  if (choices.length > 0) return { choices, note: '' };
  const name = req.target.displayName;
  return {
    choices,
    note: phones.available
      ? `No number is on file for ${name}: a call to a number they give you does not count. Choose a video call or in person instead.`
      : `The numbers on file are not available (${phones.missing}). If you called them, say in the note which number and where you know it from.`,
  };
}

/**
 * The risk reasons say their instants as "2026-11-20 09:00 UTC" (they are also written to
 * the audit); on a card each one is written by the client in the viewer's zone.
 */
export function withClientTimes(text: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g, (_, day: string, time: string) => clientInstant(`${day}T${time}:00Z`));
}
