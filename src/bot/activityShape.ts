/**
 * The shape an activity must have before botbuilder sees it. botbuilder trusts the body:
 * a missing `type` throws before the turn starts, a `conversation` that is not an object
 * or a `text` that is not a string throws inside it, and a number where it expects a
 * string fails only when the reply is serialised. Each of those became a 500. Here they
 * are refused with one sentence saying what is wrong.
 *
 * Permissive on purpose: only fields botbuilder or this bot read are checked, unknown
 * fields pass, and every optional field Teams may leave out stays optional.
 */

/** Longest `type`, `channelId`, `name`, `locale` and the like that Teams or any channel uses. */
const MAX_NAME = 256;
/** Longest id: Teams ids (`29:…`, `a:…`, `19:…@thread.v2`) are far shorter. */
const MAX_ID = 1024;
const MAX_URL = 2048;
/** Teams caps a message near 28 KB; this leaves room for HTML without taking megabytes. */
export const MAX_TEXT = 100_000;

export interface MalformedActivity {
  /** What is wrong, in one sentence. */
  message: string;
  /** True when the body claims to be an invoke: the answer then uses the invoke error shape. */
  invoke: boolean;
}

type Json = Record<string, unknown>;

/** Why this body cannot be processed as an activity, or undefined when it can. */
export function malformedActivity(body: unknown): MalformedActivity | undefined {
  if (!isRecord(body)) return { message: 'The body must be a JSON object (a Bot Framework activity).', invoke: false };
  const message = problemOf(body);
  return message === undefined ? undefined : { message, invoke: body['type'] === 'invoke' };
}

function problemOf(a: Json): string | undefined {
  return (
    name(a, 'type', { required: true }) ??
    name(a, 'channelId', { required: true }) ??
    serviceUrl(a['serviceUrl']) ??
    account(a['from'], 'from', { required: true }) ??
    account(a['recipient'], 'recipient', { required: false }) ??
    conversation(a['conversation']) ??
    text(a, 'id', MAX_ID) ??
    text(a, 'replyToId', MAX_ID) ??
    text(a, 'text', MAX_TEXT) ??
    text(a, 'speak', MAX_TEXT) ??
    text(a, 'summary', MAX_TEXT) ??
    ['name', 'action', 'locale', 'textFormat', 'inputHint', 'localTimezone', 'callerId', 'valueType', 'label', 'timestamp', 'localTimestamp', 'expiration']
      .map((field) => name(a, field, { required: false }))
      .find((p) => p !== undefined) ??
    object(a['channelData'], 'channelData') ??
    object(a['relatesTo'], 'relatesTo') ??
    listOf(a, 'entities', (v, at) => object(v, at, { required: true })) ??
    listOf(a, 'attachments', (v, at) => (isRecord(v) ? text(v, 'contentType', MAX_NAME, at) : `"${at}" must be an object.`)) ??
    listOf(a, 'membersAdded', (v, at) => account(v, at, { required: true })) ??
    listOf(a, 'membersRemoved', (v, at) => account(v, at, { required: true })) ??
    listOf(a, 'reactionsAdded', (v, at) => object(v, at, { required: true })) ??
    listOf(a, 'reactionsRemoved', (v, at) => object(v, at, { required: true })) ??
    (a['type'] === 'invoke' && a['name'] === 'adaptiveCard/action' ? cardAction(a['value']) : undefined)
  );
}

/** `Action.Execute` as Teams sends it: the route (verb) and the inputs (data). */
function cardAction(value: unknown): string | undefined {
  if (!isRecord(value)) return 'A card action (invoke "adaptiveCard/action") needs a "value" object.';
  const action = value['action'];
  if (!isRecord(action)) return 'A card action needs "value.action" to be an object.';
  if (typeof action['type'] !== 'string') return '"value.action.type" must be a string.';
  if (typeof action['verb'] !== 'string') return '"value.action.verb" must be a string.';
  if (action['verb'].length > MAX_NAME) return `"value.action.verb" is too long (at most ${MAX_NAME} characters).`;
  return object(action['data'], 'value.action.data');
}

function serviceUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return v === undefined ? 'The activity has no "serviceUrl".' : '"serviceUrl" must be a string.';
  if (v.length > MAX_URL) return `"serviceUrl" is too long (at most ${MAX_URL} characters).`;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return '"serviceUrl" must be an absolute http or https URL.';
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : '"serviceUrl" must be an absolute http or https URL.';
}

/** A ChannelAccount: botbuilder copies `from` and `recipient` into every reply, typed. */
function account(v: unknown, at: string, { required }: { required: boolean }): string | undefined {
  if (isAbsent(v) && !required) return undefined;
  if (!isRecord(v)) return v === undefined ? `The activity has no "${at}".` : `"${at}" must be an object.`;
  return (
    text(v, 'id', MAX_ID, at, true) ??
    text(v, 'name', MAX_TEXT, at) ??
    text(v, 'aadObjectId', MAX_ID, at) ??
    text(v, 'role', MAX_NAME, at) ??
    object(v['properties'], `${at}.properties`)
  );
}

function conversation(v: unknown): string | undefined {
  if (!isRecord(v)) return v === undefined ? 'The activity has no "conversation".' : '"conversation" must be an object.';
  const at = 'conversation';
  const id = v['id'];
  if (typeof id !== 'string' || id === '') return '"conversation.id" must be a non-empty string.';
  if (!isAbsent(v['isGroup']) && typeof v['isGroup'] !== 'boolean') return '"conversation.isGroup" must be true or false.';
  return (
    text(v, 'id', MAX_ID, at) ??
    text(v, 'name', MAX_TEXT, at) ??
    text(v, 'conversationType', MAX_NAME, at) ??
    text(v, 'tenantId', MAX_NAME, at) ??
    text(v, 'aadObjectId', MAX_ID, at) ??
    text(v, 'role', MAX_NAME, at) ??
    object(v['properties'], `${at}.properties`)
  );
}

/** A short string field of the activity (names, codes, times); required ones must not be empty. */
function name(o: Json, field: string, { required }: { required: boolean }): string | undefined {
  if (required && o[field] === '') return `"${field}" must not be empty.`;
  return text(o, field, MAX_NAME, undefined, required);
}

function text(o: Json, field: string, max: number, at?: string, required = false): string | undefined {
  const v = o[field];
  const path = at ? `${at}.${field}` : field;
  if (isAbsent(v)) return required ? `"${path}" is missing.` : undefined;
  if (typeof v !== 'string') return `"${path}" must be a string.`;
  if (v.length > max) return `"${path}" is too long (at most ${max} characters).`;
  return undefined;
}

function object(v: unknown, at: string, { required }: { required: boolean } = { required: false }): string | undefined {
  if (isAbsent(v) && !required) return undefined;
  return isRecord(v) ? undefined : `"${at}" must be an object.`;
}

function listOf(o: Json, field: string, item: (v: unknown, at: string) => string | undefined): string | undefined {
  const v = o[field];
  if (isAbsent(v)) return undefined;
  if (!Array.isArray(v)) return `"${field}" must be a list.`;
  for (let i = 0; i < v.length; i++) {
    const problem = item(v[i], `${field}[${i}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** Some channels send `null` for a field they leave out; botbuilder treats both alike. */
function isAbsent(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
