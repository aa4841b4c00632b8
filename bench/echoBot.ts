/**
 * The framework's ceiling: a bare botbuilder echo bot on the same stack as the product
 * (restify 11 with the same body parser settings, CloudAdapter with the adapter auth the
 * bench bot uses: ConfigurationBotFrameworkAuthentication without an app id, as in
 * sandbox mode), replying through the same Bot Connector stand-in. It does nothing the
 * product does on top (tenant guard, conversation store, commands, cards, storage), so
 * product turns over echo turns is the product's own overhead.
 */
import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import * as restify from 'restify';

export interface EchoBot {
  messagesUrl: string;
  stop(): Promise<void>;
}

/** The product's MAX_BODY_BYTES default, so both parse the same way. */
const MAX_BODY_BYTES = 256 * 1024;

export async function startEchoBot(): Promise<EchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const server = restify.createServer({ name: 'echo-ceiling', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, rejectUnknown: true }));
  const logic = async (context: TurnContext): Promise<void> => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${String(context.activity.text ?? '')}`);
  };
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, logic);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    messagesUrl: `http://127.0.0.1:${port}/api/messages`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server.server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
