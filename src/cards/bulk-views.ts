/**
 * Cards of a bulk request (passes for a group): the form, one status card per person that
 * is updated in place (the requester's progress, the approvers' decision), and the result
 * pages with the codes. Built as Adaptive Card 1.5 JSON; every time is rendered in the
 * reader's zone; a code appears only on a result page, and only until it is handed over
 * or expires.
 */
import { countMembers, type BulkMember, type BulkPage, type BulkPass, type BulkRequest } from '../flow/bulk/types';
import { BULK_ATTESTATION } from '../flow/bulk/decision';
import { SCENARIOS, type FormPolicy, type Scenario } from '../flow/types';
import { guideUrl } from '../flow/follow/guideLinks';
import { allowedLifetimes } from './chat-views';
import { clientInstant, formatDuration, type CardContext } from './format';
import { SECURITY_INFO_URL } from '../i18n';
import { nameAndUpn } from '../identity';
import { groupedCode } from './spelling';

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

const SCENARIO_WORDS: Record<Scenario, string> = {
  newJoiner: 'New joiners (first morning)',
  recovery: 'Recovery (lost or new phone)',
  passkeyOnboarding: 'Passkey onboarding (multi-use)',
};

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
}

export function bulkFormCard(o: BulkFormOptions): Card {
  const scenario = o.echo?.scenario ?? 'newJoiner';
  const defaults = o.policy.scenarios[scenario];
  const lifetimes = allowedLifetimes(o.policy.minimumLifetimeInMinutes, o.policy.maximumLifetimeInMinutes, [defaults?.lifetimeInMinutes ?? o.policy.defaultLifetimeInMinutes]);
  const zone = o.timeZone ?? o.policy.orgTimeZone;
  return card(
    [
      text('Passes for a group', { size: 'Large', weight: 'Bolder' }),
      text(
        `One request for every member of an Entra group (for example HR's new joiners). Each member is checked as for a single pass; admins, guests, protected and disabled accounts are left out, and you see who and why before anyone approves. A bulk approver decides once. Times are in ${zone}.`,
      ),
      ...(o.error ? [boxed('attention', [text(o.error, { weight: 'Bolder' })])] : []),
      { type: 'Input.Text', id: 'group', label: 'Group (display name or object id)', isRequired: true, errorMessage: 'Name the group.', maxLength: 256, value: o.group ?? '' },
      {
        type: 'Input.ChoiceSet',
        id: 'scenario',
        label: 'Scenario',
        value: scenario,
        choices: SCENARIOS.map((s) => ({ title: SCENARIO_WORDS[s], value: s })),
      },
      { type: 'Input.Date', id: 'startDate', label: `Start date (empty: the next working day, ${zone})`, value: o.echo?.startDate ?? '' },
      { type: 'Input.Time', id: 'startTime', label: 'Start time (empty: the scenario\'s start, 08:00 for joiners)', value: o.echo?.startTime ?? '' },
      {
        type: 'Input.ChoiceSet',
        id: 'lifetimeInMinutes',
        label: 'Lifetime',
        value: String(o.echo?.lifetimeInMinutes ?? defaults?.lifetimeInMinutes ?? o.policy.defaultLifetimeInMinutes),
        choices: lifetimes.map((m) => ({ title: formatDuration(m), value: String(m) })),
      },
      { type: 'Input.Text', id: 'reason', label: 'Reason (what the auditors will read)', isRequired: true, errorMessage: 'Give a reason.', maxLength: 500, value: o.echo?.reason ?? '' },
      { type: 'Input.Text', id: 'ticket', label: 'Ticket (optional)', maxLength: 40, value: o.echo?.ticket ?? '' },
    ],
    [{ type: 'Action.Execute', title: 'Check the group', verb: BULK_VERBS.submit, style: 'positive', associatedInputs: 'auto' }],
  );
}

export type BulkViewer = 'requester' | 'approver' | 'other';

export interface BulkStatusOptions {
  viewer: BulkViewer;
  error?: string;
}

const STATE_WORDS: Record<BulkRequest['state'], string> = {
  PendingApproval: 'Waiting for approval',
  Issuing: 'Approved',
  Completed: 'Done',
  Denied: 'Denied',
  Cancelled: 'Stopped',
  Expired: 'Expired without a decision',
  Failed: 'Stopped: nothing more will be created',
};

/** "• Name (upn): why", without naming them twice when the reason already starts with the name. */
function memberLine(m: BulkMember, withReason: boolean): string {
  const who = nameAndUpn(m);
  if (!withReason || !m.reason) return `• ${who}`;
  return m.reason.includes(who) ? `• ${m.reason}` : `• ${who}: ${m.reason}`;
}

function nameList(members: BulkMember[], withReason: boolean): Card[] {
  const shown = members.slice(0, LIST_MAX).map((m) => text(memberLine(m, withReason), { spacing: 'None', size: 'Small' }));
  if (members.length > LIST_MAX) shown.push(text(`…and ${members.length - LIST_MAX} more.`, { spacing: 'None', size: 'Small', isSubtle: true }));
  return shown;
}

/**
 * "Name (upn)" and "department · manager · start" for each member who would get a pass. Long
 * lists show the first names and fold the rest behind "Show all" (the approver can read
 * every name before approving); each line wraps, so nothing is cut on a phone.
 */
function eligibleList(members: BulkMember[], start: string): Card[] {
  const row = (m: BulkMember): Card => ({
    type: 'Container',
    spacing: 'Small',
    items: [
      text(nameAndUpn(m), { spacing: 'None', size: 'Small', weight: 'Bolder' }),
      text(`${m.department ? `${m.department} · ` : ''}manager: ${m.managerName || 'none in the directory'} · starts ${start}`, { spacing: 'None', size: 'Small' }),
    ],
  });
  const first = members.slice(0, LIST_MAX).map(row);
  if (members.length <= LIST_MAX) return first;
  return [
    ...first,
    { type: 'Container', id: 'allEligible', isVisible: false, items: members.slice(LIST_MAX).map(row) },
    { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: `Show all ${members.length}`, targetElements: ['allEligible'] }] },
  ];
}

/** Seconds left at the pace so far (or the configured pace before the first wave). */
function eta(bulk: BulkRequest, now: Date): string | undefined {
  const c = countMembers(bulk);
  if (bulk.state !== 'Issuing' || c.waiting === 0 || !bulk.startedAt) return undefined;
  const done = c.issued + c.failed;
  const elapsed = (now.getTime() - Date.parse(bulk.startedAt)) / 1000;
  if (done === 0 || elapsed <= 0) return undefined;
  const left = Math.ceil((c.waiting * elapsed) / done);
  return left < 90 ? `about ${Math.max(1, left)} seconds left` : `about ${Math.ceil(left / 60)} minutes left`;
}

export function bulkStatusCard(bulk: BulkRequest, ctx: CardContext, o: BulkStatusOptions): Card {
  const c = countMembers(bulk);
  const refused = bulk.members.filter((m) => m.state === 'refused');
  const failed = bulk.members.filter((m) => m.state === 'failed');
  const open = bulk.state === 'PendingApproval' || bulk.state === 'Issuing';
  const start = bulk.settings.startDateTime ? clientInstant(bulk.settings.startDateTime) : 'as soon as each pass is made';
  const progress =
    bulk.state === 'PendingApproval'
      ? `${c.eligible} of ${c.total} members can get a pass; ${c.refused} cannot (below).`
      : `${c.issued + c.failed} of ${c.eligible} done: ${c.issued} issued, ${c.failed} failed${c.waiting > 0 ? `, ${c.waiting} to go` : ''}.${eta(bulk, ctx.now) ? ` ${eta(bulk, ctx.now)}.` : ''}`;
  const body: Card[] = [
    text(`Passes for ${bulk.group.displayName}`, { size: 'Large', weight: 'Bolder' }),
    boxed(bulk.state === 'Completed' ? 'good' : open ? 'accent' : 'attention', [text(`${bulk.id} · ${STATE_WORDS[bulk.state]}`, { weight: 'Bolder' })]),
    text(progress),
    ...(bulk.failure ? [boxed('attention', [text(bulk.failure.message)])] : []),
    ...(o.error ? [boxed('attention', [text(o.error, { weight: 'Bolder' })])] : []),
    facts([
      ['Asked by', `${bulk.requester.displayName}${bulk.via === 'cli' ? ' (admin command line)' : ''}`],
      ['Reason', bulk.reason + (bulk.ticket ? ` (${bulk.ticket})` : '')],
      ['Scenario', SCENARIO_WORDS[bulk.scenario]],
      ['Starts', start],
      ['Lifetime', `${formatDuration(bulk.settings.lifetimeInMinutes)}, ${bulk.settings.isUsableOnce ? 'one sign-in only' : 'usable several times'}`],
      ['Members', `${c.total}${bulk.group.nested ? ' (nested groups included)' : ' (direct members)'}`],
      ['Codes go to', bulk.deliverTo === 'manager' ? "each member's manager" : bulk.requester.displayName],
      ...(bulk.decision ? ([[bulk.decision.action === 'approve' ? 'Approved by' : 'Denied by', `${bulk.decision.by.displayName}, ${clientInstant(bulk.decision.at)}`]] as Array<[string, string]>) : []),
      ...(bulk.state === 'PendingApproval' ? ([['Decide by', clientInstant(bulk.expiresAt)], ['Approvers', bulk.approvers.map((p) => p.displayName).join(', ')]] as Array<[string, string]>) : []),
    ]),
  ];
  if (bulk.nestedGroupsSkipped.length > 0) {
    body.push(text(`Not counted: ${bulk.nestedGroupsSkipped.length} nested group(s) (${bulk.nestedGroupsSkipped.slice(0, 5).map((g) => g.displayName).join(', ')}). Members of nested groups are left out (BULK_INCLUDE_NESTED=false).`, { isSubtle: true, size: 'Small' }));
  }
  // Who gets a pass, by name: the approver confirms this list, never a count alone.
  const getting = bulk.members.filter((m) => m.state !== 'refused' && m.state !== 'failed');
  if (bulk.state === 'PendingApproval' && getting.length > 0) {
    body.push(text(`Would get a pass (${getting.length}):`, { weight: 'Bolder' }), ...eligibleList(getting, start));
  }
  if (bulk.scheduledIssueAt && !bulk.startedAt && bulk.state === 'Issuing') {
    body.push(text(`Approved. The passes are made at ${clientInstant(bulk.scheduledIssueAt)}, shortly before they start, after every member is checked again; the codes come then.`, { weight: 'Bolder' }));
  }
  const replacing = bulk.members.filter((m) => m.replacesExisting && m.state !== 'refused').length;
  if (replacing > 0) body.push(text(`Note: ${replacing === 1 ? '1 member already has a pass' : `${replacing} members already have a pass`}; the new one replaces it.`, { weight: 'Bolder', size: 'Small' }));
  if (refused.length > 0) body.push(text(`No pass for ${refused.length}:`, { weight: 'Bolder' }), ...nameList(refused, true));
  if (failed.length > 0) body.push(text(`Failed for ${failed.length}:`, { weight: 'Bolder' }), ...nameList(failed, true));

  const actions: Card[] = [];
  if (bulk.state === 'PendingApproval' && o.viewer === 'approver') {
    body.push(
      text(`Approving gives each of the ${c.eligible} eligible members a pass${bulk.deliverTo === 'manager' ? ", delivered to their manager" : `, delivered to ${bulk.requester.displayName}`}.`, { weight: 'Bolder' }),
      { type: 'Input.Toggle', id: 'attested', title: BULK_ATTESTATION, valueOn: 'true', valueOff: 'false', value: 'false', wrap: true },
      { type: 'Input.Text', id: 'denyReason', label: 'Reason if you deny (optional)', maxLength: 300 },
    );
    actions.push(
      { type: 'Action.Execute', title: 'Approve', verb: BULK_VERBS.approve, style: 'positive', data: { requestId: bulk.id }, associatedInputs: 'auto' },
      { type: 'Action.Execute', title: 'Deny', verb: BULK_VERBS.deny, style: 'destructive', data: { requestId: bulk.id }, associatedInputs: 'auto' },
    );
  }
  if ((bulk.state === 'PendingApproval' && o.viewer === 'requester') || (bulk.state === 'Issuing' && o.viewer !== 'other')) {
    actions.push({ type: 'Action.Execute', title: bulk.state === 'Issuing' ? 'Stop' : 'Withdraw', verb: BULK_VERBS.cancel, data: { requestId: bulk.id }, associatedInputs: 'none' });
  }
  if (open) actions.push({ type: 'Action.Execute', title: 'Refresh', verb: BULK_VERBS.refresh, data: { requestId: bulk.id }, associatedInputs: 'none' });
  return card(body, actions, `${bulk.id}: ${STATE_WORDS[bulk.state]}, ${c.issued} of ${c.eligible} issued`);
}

/**
 * One result page: name, sign-in name, code, start and expiry per member. `passes` null =
 * the page without codes (handed over, expired, or redrawn later: codes are never kept).
 */
export function bulkPageCard(bulk: BulkRequest, page: BulkPage, passes: BulkPass[] | null, ctx: CardContext): Card {
  const members = page.memberIds.map((id) => bulk.members.find((m) => m.id === id)).filter((m): m is BulkMember => m !== undefined);
  const guide = ctx.publicBaseUrl ? guideUrl(ctx.publicBaseUrl, bulk.scenario, 'en') : SECURITY_INFO_URL;
  const hiddenWhy = page.codesHidden ? (Date.parse(page.expiresDateTime) <= ctx.now.getTime() ? 'the passes have expired' : 'you marked them handed over') : 'codes are shown only once, when the passes are made';
  const rows: Card[] = (passes ?? members.map((m) => ({ member: m, temporaryAccessPass: '', startDateTime: m.startDateTime ?? '', expiresDateTime: m.expiresDateTime ?? '' }))).map((p) => ({
    type: 'Container',
    separator: true,
    items: [
      text(`${p.member.displayName} · ${p.member.userPrincipalName}`, { weight: 'Bolder' }),
      ...(passes ? [codeBlock(p.temporaryAccessPass)] : []),
      text(`From ${clientInstant(p.startDateTime)} until ${clientInstant(p.expiresDateTime)}${p.member.requestId ? ` · to stop it: revoke ${p.member.requestId}` : ''}`, { spacing: 'None', size: 'Small' }),
    ],
  }));
  const body: Card[] = [
    text(`${bulk.group.displayName}: passes, page ${page.n}`, { size: 'Large', weight: 'Bolder' }),
    text(`${bulk.id} · ${members.length === 1 ? '1 member' : `${members.length} members`} · ${formatDuration(bulk.settings.lifetimeInMinutes)}, ${bulk.settings.isUsableOnce ? 'one sign-in only' : 'usable several times'}`, { spacing: 'None', isSubtle: true }),
    passes
      ? text(`Give each person their own code, and nothing else from this card. They open ${SECURITY_INFO_URL}, sign in with the code and register Microsoft Authenticator (phone sign-in) or a passkey before it expires. The guide to pass on: ${guide}`)
      : text(`Codes hidden: ${hiddenWhy}. For a lost code, revoke and ask again for that person.`, { isSubtle: true }),
    ...rows,
    ...(passes && !page.codesHidden ? [text('A code shown in groups of four has no spaces: type it without them. When everyone has their code, select All handed over to hide the codes.', { size: 'Small', separator: true })] : []),
  ];
  const actions = passes && !page.codesHidden ? [{ type: 'Action.Execute', title: 'All handed over', verb: BULK_VERBS.handedOver, data: { requestId: bulk.id, page: String(page.n) }, associatedInputs: 'none' }] : [];
  return card(body, actions, `${bulk.id}: page ${page.n} of the passes for ${bulk.group.displayName}`);
}
