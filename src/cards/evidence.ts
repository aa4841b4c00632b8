/**
 * What the approvers are shown to judge the caller: the signals read when the request was
 * made (numbers on file, sign-in methods, account age and last sign-in, a manager change,
 * Identity Protection risk), the risk they add up to, and which number on file was called.
 * A signal that could not be read says "not available" and what it needs: a missing line
 * would read as "nothing to worry about".
 */
import { wordsIn, type Words } from '../i18n/said';
import type { Decision, TapRequest } from '../flow/types';
import { MANAGER_CHANGE_LOOKBACK_DAYS } from '../graph/signals';
import type { RegisteredMethod, Signal, TargetSignals } from '../graph/types';
import { type CardWords, catalogueOf } from './format';
import { clientInstant } from '../i18n/time';
import type { Fact } from './labels';

/** A request made before signals were read (or by a gateway that reads none) still says so. */
const NOT_READ = Symbol('not read');

/** Why a signal is missing, in the reader's words (a record from before kept it in English), or "not read for this request". */
function missingText(missing: Words | typeof NOT_READ, w: CardWords): string {
  return missing === NOT_READ ? w.evidence.notRead : wordsIn(catalogueOf(w), missing);
}

/** One number on file, with the kind of number it is. */
interface NumberOnFile {
  number: string;
  kind: 'mobile' | 'business';
}

/** The numbers on file in the order to call them: mobile first, then business phones. */
function numbersOnFile(req: TapRequest): NumberOnFile[] {
  const phones = req.signals?.phones;
  if (!phones?.available) return [];
  return [
    ...(phones.value.mobile ? [{ number: phones.value.mobile, kind: 'mobile' as const }] : []),
    ...phones.value.business.map((number) => ({ number, kind: 'business' as const })),
  ];
}

const digits = (n: string): string => n.replace(/[^\d+]/g, '');

/** "+45 20 11 22 33 (mobile on file)"; a number no longer on the request's list is shown as given. */
export function calledNumberLabel(req: TapRequest, number: string, w: CardWords): string {
  const found = numbersOnFile(req).find((n) => digits(n.number) === digits(number));
  return found ? w.evidence.onFile(found.number, w.evidence[found.kind]) : number;
}

/** "video call", or "called +45 20 11 22 33 (mobile on file)" when the approver named the number. */
export function howConfirmed(req: TapRequest, d: Decision, w: CardWords): string | undefined {
  if (!d.attestation) return undefined;
  if (d.attestation === 'knownNumberCall' && d.calledNumber) return w.evidence.called(calledNumberLabel(req, d.calledNumber, w));
  return w.attestationShort[d.attestation];
}

function methodList(registered: RegisteredMethod[], w: CardWords): string {
  const counts = new Map<string, number>();
  // The password says least about who they are: it goes last.
  const ordered = [...registered.filter((m) => m.type !== 'password'), ...registered.filter((m) => m.type === 'password')];
  for (const m of ordered) {
    const name = w.evidence.methodNames[m.type] ?? m.type;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, n]) => (n > 1 ? `${name} (${n})` : name)).join(', ');
}

/** A signal as read, or "not read" when the request was made before signals were read. */
type Read<T> = Signal<T> | { available: false; missing: typeof NOT_READ };

function phonesValue(signal: Read<{ mobile?: string | null; business: string[] }>, w: CardWords): string {
  const e = w.evidence;
  if (!signal.available) return e.phonesNotAvailable(missingText(signal.missing, w));
  const { mobile, business } = signal.value;
  const list = [...(mobile ? [e.phoneMobile(mobile)] : []), ...business.map((b) => e.phoneBusiness(b))];
  if (list.length === 0) return e.noNumber;
  return e.numbers(list.join(e.or));
}

function methodsValue(req: TapRequest, signal: Read<{ registered: RegisteredMethod[]; newestAddedAt?: string | null }>, w: CardWords): string {
  const e = w.evidence;
  if (!signal.available) return e.notAvailable(missingText(signal.missing, w));
  const { registered, newestAddedAt } = signal.value;
  if (registered.length === 0) return e.noMethods;
  const list = methodList(registered, w);
  if (!newestAddedAt) return e.methods(list);
  // The risk rule is the one home of "recent"; the card asks the question it implies.
  const recent = req.risk?.rules.includes('methodRegisteredRecently') === true;
  return recent ? e.newestRecent(list, clientInstant(newestAddedAt)) : e.newest(list, clientInstant(newestAddedAt));
}

type Account = { createdDateTime?: string | null; lastSuccessfulSignIn?: string | null };

function createdValue(signal: Read<Account>, w: CardWords): string {
  if (!signal.available) return w.evidence.notAvailable(missingText(signal.missing, w));
  return signal.value.createdDateTime ? clientInstant(signal.value.createdDateTime) : w.evidence.notRecorded;
}

function signInValue(account: Read<Account>, signInMissing: Words | undefined, w: CardWords): string {
  const e = w.evidence;
  if (!account.available) return e.notAvailable(missingText(signInMissing ?? account.missing, w));
  const last = account.value.lastSuccessfulSignIn;
  if (last === undefined) return e.notAvailable(signInMissing ? missingText(signInMissing, w) : e.couldNotRead);
  return last ? clientInstant(last) : e.noSignIn;
}

function managerValue(signal: Read<{ changedAt: string; by?: string | null } | null>, w: CardWords): string {
  const e = w.evidence;
  if (!signal.available) return e.notAvailable(missingText(signal.missing, w));
  const change = signal.value;
  if (!change) return e.managerUnchanged(MANAGER_CHANGE_LOOKBACK_DAYS);
  return e.managerChanged(clientInstant(change.changedAt), change.by ?? e.unnamed);
}

function riskValue(signal: Read<{ level: string; updatedAt?: string | null } | null>, w: CardWords): string {
  const e = w.evidence;
  if (!signal.available) return e.notAvailable(missingText(signal.missing, w));
  const risk = signal.value;
  if (!risk) return e.noRisk;
  return e.riskLevel(e.risk[risk.level] ?? risk.level, risk.updatedAt ? clientInstant(risk.updatedAt) : '');
}

const NOT_READ_SIGNAL = { available: false, missing: NOT_READ } as const;

/** Every signal as one short fact, in the order a caller is checked: how to call back first. */
export function signalFacts(req: TapRequest, w: CardWords): Fact[] {
  const s: TargetSignals | undefined = req.signals;
  const f = w.evidence.facts;
  return [
    { title: f.callBack, value: phonesValue(s?.phones ?? NOT_READ_SIGNAL, w) },
    { title: f.methods, value: methodsValue(req, s?.methods ?? NOT_READ_SIGNAL, w) },
    { title: f.created, value: createdValue(s?.account ?? NOT_READ_SIGNAL, w) },
    { title: f.lastSignIn, value: signInValue(s?.account ?? NOT_READ_SIGNAL, s?.signInMissing, w) },
    { title: f.manager, value: managerValue(s?.managerChange ?? NOT_READ_SIGNAL, w) },
    { title: f.identityProtection, value: riskValue(s?.risk ?? NOT_READ_SIGNAL, w) },
  ];
}

/** The choices of the "which number did you call" input, and what to say when there are none. */
export function calledNumberChoices(req: TapRequest, w: CardWords): { choices: Fact[]; note: string } {
  const phones: Read<unknown> = req.signals?.phones ?? NOT_READ_SIGNAL;
  const choices = numbersOnFile(req).map((n) => ({ title: w.evidence.calledNumberChoice(n.number, w.evidence[n.kind]), value: n.number }));
  if (choices.length > 0) return { choices, note: '' };
  return {
    choices,
    note: phones.available ? w.evidence.noNumberNote(req.target.displayName) : w.evidence.numbersUnavailableNote(missingText(phones.missing, w)),
  };
}

/**
 * The risk reasons say their instants as "2026-11-20 09:00 UTC" (they are also written to
 * the audit); on a card each one is written by the client in the viewer's zone.
 */
export function withClientTimes(text: string): string {
  return text.replace(/\b(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC\b/g, (_, day: string, time: string) => clientInstant(`${day}T${time}:00Z`));
}
