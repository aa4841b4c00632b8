/**
 * Starts the two Playground personas against a running bot, for trying the flow by hand:
 *   npx tsx scripts/playground.ts [--bot http://127.0.0.1:3978/api/messages]
 *                                 [--agent-port 56150] [--manager-port 56151]
 * Open the printed URLs in a browser (agent: Adele Vance, manager: Nestor Wilke).
 * Opening a page is what introduces that persona to the bot. Ctrl-C stops both.
 */
import { parseArgs } from 'node:util';
import { startPlayground, type PlaygroundInstance } from '../dev/playground';
import { SANDBOX_TENANT_ID, USERS } from '../sandbox/ids';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bot: { type: 'string', default: 'http://127.0.0.1:3978/api/messages' },
      'agent-port': { type: 'string', default: '56150' },
      'manager-port': { type: 'string', default: '56151' },
    },
  });
  const shared = { botEndpoint: values.bot, tenantId: SANDBOX_TENANT_ID, people: Object.values(USERS) };
  const started: PlaygroundInstance[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.stop()));
  };
  try {
    started.push(await startPlayground({ ...shared, port: Number(values['agent-port']), persona: USERS.adele }));
    started.push(await startPlayground({ ...shared, port: Number(values['manager-port']), persona: USERS.nestor }));
  } catch (error) {
    await stopAll();
    throw error;
  }
  const [agent, manager] = started;
  process.stdout.write(
    `Agent   (${USERS.adele.name}, helpdesk): ${agent?.url}\n` +
      `Manager (${USERS.nestor.name}):          ${manager?.url}\n` +
      `Bot endpoint: ${values.bot}\nCtrl-C to stop.\n`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopAll().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
