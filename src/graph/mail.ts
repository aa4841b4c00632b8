/** Mail sent as a mailbox in the tenant: how the owner of an account hears of a pass outside Teams. */
import { call, userPathOrThrow, type GraphContext } from './client';

export async function sendMail(graph: GraphContext, from: string, to: string, message: { subject: string; text: string }): Promise<void> {
  const path = `${userPathOrThrow(from, 'sendMail')}/sendMail`;
  await call('sendMail', () =>
    graph.client.api(path).post({
      message: { subject: message.subject, body: { contentType: 'Text', content: message.text }, toRecipients: [{ emailAddress: { address: to } }] },
      saveToSentItems: false,
    }),
  );
}
