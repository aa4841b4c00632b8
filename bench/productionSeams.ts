/**
 * Preloaded into the production build by bench/footprint.ts (`node --require
 * dist/bench/productionSeams.js dist/src/index.js`) for the load step only, never part of
 * the product. Two things a machine without the internet cannot reach:
 *   - where channel tokens are checked: login.botframework.com's OpenID metadata and
 *     issuer, pointed at the bench's stand-in (test/support/openIdStub.ts), so every
 *     activity is still verified by botbuilder's own code against keys it fetches;
 *   - the bot's own token for replies (from login.microsoftonline.com): a fixed string,
 *     as test/integration/botAuth.test.ts does; the Bot Connector stand-in takes any.
 * Everything else (config, wiring, storage, Graph over HTTPS) is the deployed code.
 */
import { AuthenticationConstants, MicrosoftAppCredentials } from 'botframework-connector';

const metadataUrl = process.env['BENCH_CHANNEL_OPENID_METADATA_URL'];
const issuer = process.env['BENCH_CHANNEL_TOKEN_ISSUER'];
if (!metadataUrl || !issuer) throw new Error('productionSeams needs BENCH_CHANNEL_OPENID_METADATA_URL and BENCH_CHANNEL_TOKEN_ISSUER');

// Read by botbuilder when the adapter's authentication is created (BotFrameworkAuthenticationFactory).
const constants = AuthenticationConstants as { ToBotFromChannelOpenIdMetadataUrl: string; ToBotFromChannelTokenIssuer: string };
constants.ToBotFromChannelOpenIdMetadataUrl = metadataUrl;
constants.ToBotFromChannelTokenIssuer = issuer;
MicrosoftAppCredentials.prototype.getToken = async (): Promise<string> => 'bench-outgoing-token';
