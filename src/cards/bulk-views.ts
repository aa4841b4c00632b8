/**
 * Cards of a bulk request (passes for a group): the form, one status card per person that
 * is updated in place (the requester's progress, the approvers' decision), and the result
 * pages with the codes. Built as Adaptive Card 1.5 JSON; every time is rendered in the
 * reader's zone; a code appears only on a result page, and only until it is handed over
 * or expires.
 */
import { countMembers, type BulkMember, type BulkPage, type BulkPass, type BulkRequest } from '../flow/bulk/types';
import { SCENARIOS, type FormPolicy, type Scenario } from '../flow/types';
import { guideUrl } from '../flow/follow/guideLinks';
import { allowedLifetimes } from './chat-views';
import { cardWords, formatDuration, type CardContext, type CardWords } from './format';
import { clientInstant } from '../i18n/time';
import { SECURITY_INFO_URL } from '../i18n';
import { nameAndUpn } from '../identity';
import { canGroup, groupedCode } from './spelling';
import { catalogue } from '../i18n';
import { reasonIn } from '../i18n/said';

export const BULK_VERBS = {
  submit: 'tap.bulk.submit',
  approve: 'tap.bulk.approve',
  deny: 'tap.bulk.deny',
  cancel: 'tap.bulk.cancel',
  refresh: 'tap.bulk.refresh',
  handedOver: 'tap.bulk.handedOver',
} as const;
export type BulkVerb = (typeof BULK_VERBS)[keyof typeof BULK_VERBS];

type Card = Record<string, unknown>;
/** How many names a list shows before the rest are folded or counted. */
const LIST_MAX = 25;

function card(body: unknown[], actions: unknown[] = [], summary?: string): Card {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    ...(summary ? { fallbackText: summary } : {}),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

const text = (t: string, extra: Record<string, unknown> = {}): Card => ({ type: 'TextBlock', text: t, wrap: true, ...extra });
/**
 * A line that must stand out (a state, an error): the container's style carries the tone and
 * the text keeps the default colour, because Teams' good, warning and dark-theme attention
 * text colours are too pale to read on the card (below 4.5:1).
 */
const boxed = (style: 'good' | 'attention' | 'warning' | 'accent' | 'emphasis', items: Card[]): Card => ({ type: 'Container', style, items });
/** A code whole wherever it is read: Teams' CodeBlock (copy button) on desktop and web, groups of four that wrap elsewhere. */
const codeBlock = (code: string): Card => ({
  type: 'CodeBlock',
  codeSnippet: code,
  language: 'PlainText',
  spacing: 'None',
  fallback: { type: 'TextBlock', text: groupedCode(code), fontType: 'Monospace', size: 'Large', weight: 'Bolder', wrap: true, spacing: 'None' },
});
const facts = (pairs: Array<[string, string]>): Card => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });

export interface BulkFormOptions {
  policy: FormPolicy;
  group?: string;
  echo?: { scenario?: Scenario; reason?: string; ticket?: string; lifetimeInMinutes?: number; startDate?: string; startTime?: string };
  error?: string;
  timeZone?: string;
  /** The reader's language (from the Teams activity); English when not given. */
  language?: CardContext['language'];
}

export function bulkFormCard(o: BulkFormOptions): Card {
  const w = cardWords(o);
  const f = w.bulk.form;
  const scenario = o.echo?.scenario ?? 'newJoiner';
  const defaults = o.policy.scenarios[scenario];
  const lifetimes = allowedLifetimes(o.policy.minimumLifetimeInMinutes, o.policy.maximumLifetimeInMinutes, [defaults?.lifetimeInMinutes ?? o.policy.defaultLifetimeInMinutes]);
  const zone = o.timeZone ?? o.policy.orgTimeZone;
  return card(
    [
      text(f.title, { size: 'Large', weight: 'Bolder' }),
      text(f.intro(zone)),
      ...(o.error ? [boxed('attention', [text(o.error, { weight: 'Bolder' })])] : []),
      { type: 'Input.Text', id: 'group', label: f.group, maxLength: 256, value: o.group ?? '' },
      {
        type: 'Input.ChoiceSet',
        id: 'scenario',
        label: f.scenario,
        wrap: true,
        value: scenario,
        choices: SCENARIOS.map((s) => ({ title: w.bulk.scenario[s], value: s })),
      },
      { type: 'Input.Date', id: 'startDate', label: f.startDate(zone), value: o.echo?.startDate ?? '' },
      { type: 'Input.Time', id: 'startTime', label: f.startTime, value: o.echo?.startTime ?? '' },
      {
        type: 'Input.ChoiceSet',
        id: 'lifetimeInMinutes',
        label: f.lifetime,
        wrap: true,
        value: String(o.echo?.lifetimeInMinutes ?? defaults?.lifetimeInMinutes ?? o.policy.defaultLifetimeInMinutes),
        choices: lifetimes.map((m) => ({ title: formatDuration(m, o.language), value: String(m) })),
      },
      { type: 'Input.Text', id: 'reason', label: f.reason, maxLength: 500, value: o.echo?.reason ?? '' },
      { type: 'Input.Text', id: 'ticket', label: f.ticket, maxLength: 40, value: o.echo?.ticket ?? '' },
    ],
    [{ type: 'Action.Execute', title: f.submit, verb: BULK_VERBS.submit, style: 'positive', associatedInputs: 'auto' }],
  );
}

export type BulkViewer = 'requester' | 'approver' | 'other';

export interface BulkStatusOptions {
  viewer: BulkViewer;
  error?: string;
}

/** "• Name (upn): why", without naming them twice when the reason already starts with the name. */
function memberLine(m: BulkMember, withReason: boolean, ctx: CardContext): string {
  const who = nameAndUpn(m);
  if (!withReason || !m.reason) return `• ${who}`;
  // The gate's sentence in the reader's words when the record kept its meaning, else the English it has.
  const reason = reasonIn(catalogue(ctx.language), m, ctx.timeZone);
  return reason.includes(who) ? `• ${reason}` : `• ${who}: ${reason}`;
}

function nameList(members: BulkMember[], withReason: boolean, w: CardWords, ctx: CardContext): Card[] {
  const shown = members.slice(0, LIST_MAX).map((m) => text(memberLine(m, withReason, ctx), { spacing: 'None', size: 'Small' }));
  if (members.length > LIST_MAX) shown.push(text(w.bulk.more(members.length - LIST_MAX), { spacing: 'None', size: 'Small', isSubtle: true }));
  return shown;
}

/**
 * "Name (upn)" and "department · manager · start" for each member who would get a pass. Long
 * lists show the first names and fold the rest behind "Show all" (the approver can read
 * every name before approving); each line wraps, so nothing is cut on a phone.
 */
function eligibleList(members: BulkMember[], start: string, w: CardWords): Card[] {
  const row = (m: BulkMember): Card => ({
    type: 'Container',
    spacing: 'Small',
    items: [
      text(nameAndUpn(m), { spacing: 'None', size: 'Small', weight: 'Bolder' }),
      text(w.bulk.eligibleDetail(m.department ?? '', m.managerName || w.bulk.noManager, start), { spacing: 'None', size: 'Small' }),
    ],
  });
  const first = members.slice(0, LIST_MAX).map(row);
  if (members.length <= LIST_MAX) return first;
  return [
    ...first,
    { type: 'Container', id: 'allEligible', isVisible: false, items: members.slice(LIST_MAX).map(row) },
    { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: w.bulk.showAll(members.length), targetElements: ['allEligible'] }] },
  ];
}

/** Seconds left at the pace so far (or the configured pace before the first wave). */
function eta(bulk: BulkRequest, now: Date, w: CardWords): string | undefined {
  const c = countMembers(bulk);
  if (bulk.state !== 'Issuing' || c.waiting === 0 || !bulk.startedAt) return undefined;
  const done = c.issued + c.failed;
  const elapsed = (now.getTime() - Date.parse(bulk.startedAt)) / 1000;
  if (done === 0 || elapsed <= 0) return undefined;
  const left = Math.ceil((c.waiting * elapsed) / done);
  return left < 90 ? w.bulk.secondsLeft(Math.max(1, left)) : w.bulk.minutesLeft(Math.ceil(left / 60));
}

export function bulkStatusCard(bulk: BulkRequest, ctx: CardContext, o: BulkStatusOptions): Card {
  const w = cardWords(ctx);
  const b = w.bulk;
  const c = countMembers(bulk);
  const refused = bulk.members.filter((m) => m.state === 'refused');
  const failed = bulk.members.filter((m) => m.state === 'failed');
  const open = bulk.state === 'PendingApproval' || bulk.state === 'Issuing';
  const start = bulk.settings.startDateTime ? clientInstant(bulk.settings.startDateTime) : b.asSoonAsMade;
  const left = eta(bulk, ctx.now, w);
  const progress =
    bulk.state === 'PendingApproval'
      ? b.progressPending(c.eligible, c.total, c.refused)
      : `${b.progress(c.issued + c.failed, c.eligible, c.issued, c.failed, c.waiting)}${left ? ` ${left}.` : ''}`;
  const body: Card[] = [
    text(b.title(bulk.group.displayName), { size: 'Large', weight: 'Bolder' }),
    boxed(bulk.state === 'Completed' ? 'good' : open ? 'accent' : 'attention', [text(`${bulk.id} · ${b.state[bulk.state]}`, { weight: 'Bolder' })]),
    text(progress),
    ...(bulk.failure ? [boxed('attention', [text(reasonIn(catalogue(ctx.language), bulk.failure, ctx.timeZone))])] : []),
    ...(o.error ? [boxed('attention', [text(o.error, { weight: 'Bolder' })])] : []),
    facts([
      [b.askedBy, `${bulk.requester.displayName}${bulk.via === 'cli' ? b.viaCli : ''}`],
      [b.reason, bulk.reason + (bulk.ticket ? ` (${bulk.ticket})` : '')],
      [b.scenarioFact, b.scenario[bulk.scenario]],
      [b.starts, start],
      [b.lifetime, `${formatDuration(bulk.settings.lifetimeInMinutes, ctx.language)}, ${bulk.settings.isUsableOnce ? b.once : b.many}`],
      [b.members, `${c.total}${bulk.group.nested ? b.nested : b.direct}`],
      [b.codesGoTo, bulk.deliverTo === 'manager' ? b.eachManager : bulk.requester.displayName],
      ...(bulk.decision ? ([[bulk.decision.action === 'approve' ? b.approvedBy : b.deniedBy, `${bulk.decision.by.displayName}, ${clientInstant(bulk.decision.at)}`]] as Array<[string, string]>) : []),
      ...(bulk.state === 'PendingApproval' ? ([[b.decideBy, clientInstant(bulk.expiresAt)], [b.approvers, bulk.approvers.map((p) => p.displayName).join(', ')]] as Array<[string, string]>) : []),
    ]),
  ];
  if (bulk.nestedGroupsSkipped.length > 0) {
    body.push(text(b.notCounted(bulk.nestedGroupsSkipped.length, bulk.nestedGroupsSkipped.slice(0, 5).map((g) => g.displayName).join(', ')), { isSubtle: true, size: 'Small' }));
  }
  // Who gets a pass, by name: the approver confirms this list, never a count alone.
  const getting = bulk.members.filter((m) => m.state !== 'refused' && m.state !== 'failed');
  if (bulk.state === 'PendingApproval' && getting.length > 0) {
    body.push(text(b.wouldGet(getting.length), { weight: 'Bolder' }), ...eligibleList(getting, start, w));
  }
  if (bulk.scheduledIssueAt && !bulk.startedAt && bulk.state === 'Issuing') {
    body.push(text(b.scheduled(clientInstant(bulk.scheduledIssueAt)), { weight: 'Bolder' }));
  }
  const replacing = bulk.members.filter((m) => m.replacesExisting && m.state !== 'refused').length;
  if (replacing > 0) body.push(text(b.replacing(replacing), { weight: 'Bolder', size: 'Small' }));
  if (refused.length > 0) body.push(text(b.noPassFor(refused.length), { weight: 'Bolder' }), ...nameList(refused, true, w, ctx));
  if (failed.length > 0) body.push(text(b.failedFor(failed.length), { weight: 'Bolder' }), ...nameList(failed, true, w, ctx));

  const actions: Card[] = [];
  if (bulk.state === 'PendingApproval' && o.viewer === 'approver') {
    body.push(
      text(b.approving(c.eligible, bulk.deliverTo === 'manager' ? b.theirManager : bulk.requester.displayName), { weight: 'Bolder' }),
      // In the reader's words; the decision records the English attestation (flow/bulk/decision).
      { type: 'Input.Toggle', id: 'attested', title: b.attestation, valueOn: 'true', valueOff: 'false', value: 'false', wrap: true },
      { type: 'Input.Text', id: 'denyReason', label: b.denyReason, maxLength: 300 },
    );
    actions.push(
      { type: 'Action.Execute', title: b.approve, verb: BULK_VERBS.approve, style: 'positive', data: { requestId: bulk.id }, associatedInputs: 'auto' },
      { type: 'Action.Execute', title: b.deny, verb: BULK_VERBS.deny, style: 'destructive', data: { requestId: bulk.id }, associatedInputs: 'auto' },
    );
  }
  if ((bulk.state === 'PendingApproval' && o.viewer === 'requester') || (bulk.state === 'Issuing' && o.viewer !== 'other')) {
    actions.push({ type: 'Action.Execute', title: bulk.state === 'Issuing' ? b.stop : b.withdraw, verb: BULK_VERBS.cancel, data: { requestId: bulk.id }, associatedInputs: 'none' });
  }
  if (open) actions.push({ type: 'Action.Execute', title: b.refresh, verb: BULK_VERBS.refresh, data: { requestId: bulk.id }, associatedInputs: 'none' });
  return card(body, actions, b.summary(bulk.id, b.state[bulk.state], c.issued, c.eligible));
}

/**
 * One result page: name, sign-in name, code, start and expiry per member. `passes` null =
 * the page without codes (handed over, expired, or redrawn later: codes are never kept).
 */
export function bulkPageCard(bulk: BulkRequest, page: BulkPage, passes: BulkPass[] | null, ctx: CardContext): Card {
  const w = cardWords(ctx);
  const p = w.bulk.page;
  const members = page.memberIds.map((id) => bulk.members.find((m) => m.id === id)).filter((m): m is BulkMember => m !== undefined);
  const guide = ctx.publicBaseUrl ? guideUrl(ctx.publicBaseUrl, bulk.scenario, 'en') : SECURITY_INFO_URL;
  const hiddenWhy = page.codesHidden ? (Date.parse(page.expiresDateTime) <= ctx.now.getTime() ? p.expired : p.handedOver) : p.onlyOnce;
  const rows: Card[] = (passes ?? members.map((m) => ({ member: m, temporaryAccessPass: '', startDateTime: m.startDateTime ?? '', expiresDateTime: m.expiresDateTime ?? '' }))).map((row) => ({
    type: 'Container',
    separator: true,
    items: [
      text(`${row.member.displayName} · ${row.member.userPrincipalName}`, { weight: 'Bolder' }),
      ...(passes ? [codeBlock(row.temporaryAccessPass)] : []),
      text(`${p.validity(clientInstant(row.startDateTime), clientInstant(row.expiresDateTime))}${row.member.requestId ? p.toStop(row.member.requestId) : ''}`, { spacing: 'None', size: 'Small' }),
    ],
  }));
  const body: Card[] = [
    text(p.title(bulk.group.displayName, page.n), { size: 'Large', weight: 'Bolder' }),
    text(`${bulk.id} · ${p.members(members.length)} · ${formatDuration(bulk.settings.lifetimeInMinutes, ctx.language)}, ${bulk.settings.isUsableOnce ? w.bulk.once : w.bulk.many}`, { spacing: 'None', isSubtle: true }),
    passes ? text(p.give(SECURITY_INFO_URL, guide)) : text(p.hidden(hiddenWhy), { isSubtle: true }),
    ...rows,
    ...(passes && !page.codesHidden && passes.every((row) => canGroup(row.temporaryAccessPass)) ? [text(p.groups, { size: 'Small', separator: true })] : []),
  ];
  const actions = passes && !page.codesHidden ? [{ type: 'Action.Execute', title: p.allHandedOver, verb: BULK_VERBS.handedOver, data: { requestId: bulk.id, page: String(page.n) }, associatedInputs: 'none' }] : [];
  return card(body, actions, p.summary(bulk.id, page.n, bulk.group.displayName));
}
