/**
 * The production entry point (`npm run start:prod`, `node dist/src/index.js`): the bot for a
 * configured deployment, from the process environment. The only module of src/ that reads
 * process.env. With no credentials configured it says so and exits 2: it never starts a
 * sandbox (`npm start`, dev/start.ts, is the local sandbox).
 */
import './quietDeprecations'; // first: before anything loads restify
import { createLogger } from './log';
import { runBot } from './runBot';

runBot({ env: process.env }).catch((e: unknown) => {
  createLogger('main').error('failed to start', { error: e });
  process.stderr.write(`Failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
