/**
 * `npm run doctor [-- --env-file PATH]`: checks the configuration the bot would run with
 * (process.env, over ./.env when that file exists, or over the file given) and prints one
 * line per check. Exit 1 when something required is missing, 0 otherwise. The checks live
 * in src/doctor; sandbox mode reaches the sandbox tenant through dev/sandboxTools.ts; this
 * only reads the environment and prints.
 */
import '../src/quietDeprecations';
import { envFilePath, overEnvFile } from '../src/config/envFile';
import { configureLogging } from '../src/log';
import { formatReport } from '../src/doctor/format';
import { runDoctorWithSandbox } from '../dev/sandboxTools';

function envFileArgument(argv: string[]): string | undefined {
  const i = argv.indexOf('--env-file');
  if (i === -1) return undefined;
  const path = argv[i + 1];
  if (!path) throw new Error('--env-file needs a path');
  return path;
}

async function main(): Promise<number> {
  const given = envFileArgument(process.argv.slice(2));
  const file = envFilePath(given, process.cwd());
  const env = overEnvFile(process.env, file);
  configureLogging({ level: 'silent' });
  process.stdout.write(`TAP helpdesk bot doctor: checking the configuration from the environment${file ? ` and ${given ?? '.env'}` : ''}.\n\n`);
  const report = await runDoctorWithSandbox({ env });
  process.stdout.write(`${formatReport(report).join('\n')}\n`);
  return report.exitCode;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`The doctor could not run: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
