/**
 * Introducing a persona to the bot without a browser: what opening its Playground page does
 * (the page POSTs `/_debug/conversation/<chat id>/installation`, and the Playground sends the
 * bot `installationUpdate` and `conversationUpdate`). The bot's answers are read from the
 * Playground's log, where it writes them while no page is connected.
 */
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';

/** The bot's HTTP status for each activity of an introduction; undefined when not seen in time. */
export interface Introduction {
  installationUpdate?: number;
  conversationUpdate?: number;
}

/** Both activities answered with 2xx: the bot has stored the persona's conversation reference. */
export function introduced(introduction: Introduction): boolean {
  const ok = (status: number | undefined): boolean => status !== undefined && status >= 200 && status < 300;
  return ok(introduction.installationUpdate) && ok(introduction.conversationUpdate);
}

function post(port: number, path: string, body: unknown): Promise<number> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', timeout: 5000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`POST ${path} timed out`)));
    req.end(text);
  });
}

type IntroductionActivity = keyof Introduction;
const INTRODUCTION_ACTIVITIES: readonly IntroductionActivity[] = ['installationUpdate', 'conversationUpdate'];

/**
 * The bot's statuses for this chat's installationUpdate and conversationUpdate since `after`,
 * from the Playground's log (the lines it writes when it buffers its log entries for a
 * page that is not open yet).
 */
async function introductionInLog(logPath: string, chatId: string, after: number): Promise<Introduction> {
  const found: Introduction = {};
  const text = await readFile(logPath, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    if (!line.includes('"logAction":"appendLog"') || !line.includes(chatId)) continue;
    try {
      const entry = JSON.parse(line.slice(line.indexOf('{'))) as {
        log?: { conversationId?: string; activityName?: string; timestamp?: number; response?: { statusCode?: number } };
      };
      const log = entry.log;
      const name = INTRODUCTION_ACTIVITIES.find((a) => a === log?.activityName);
      if (!log || !name || log.conversationId !== chatId || (log.timestamp ?? 0) < after) continue;
      if (typeof log.response?.statusCode === 'number') found[name] = log.response.statusCode;
    } catch {
      // Not one of its JSON log lines.
    }
  }
  return found;
}

export async function introduce(port: number, chatId: string, logPath: string, timeoutInMs: number): Promise<Introduction> {
  const since = Date.now() - 1000; // the Playground's clock is this machine's; allow for rounding
  const status = await post(port, `/_debug/conversation/${encodeURIComponent(chatId)}/installation`, {});
  if (status !== 200) throw new Error(`The Playground refused to introduce its persona to the bot (HTTP ${status})`);
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const seen = await introductionInLog(logPath, chatId, since);
    if (INTRODUCTION_ACTIVITIES.every((a) => seen[a] !== undefined) || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
}
