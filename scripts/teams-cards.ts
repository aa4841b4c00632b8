/**
 * Every card the bot can send, drawn as Teams draws it (light and dark, 320 and 400 px,
 * English and Danish), for the person fixing the cards: writes artifacts/teams/report.md
 * (one line per problem: the cards, what is cut, sticks out or reads too faintly, and where)
 * and a PNG per card and view beside it. Exits 1 when there is any problem.
 * Run: npm run cards:teams   (the same checks as test/e2e/teamsRender.e2e.test.ts)
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { launchChromium } from '../dev/browser';
import { TeamsCardPage, problemLines, renderEveryView } from '../dev/teamsHost';
import { everyCard } from '../test/support/everyCard';

const OUT = path.join(__dirname, '..', 'artifacts', 'teams');

async function main(): Promise<number> {
  const browser = await launchChromium();
  try {
    const teams = await TeamsCardPage.open(browser);
    const { rendered, problems } = await renderEveryView(teams, everyCard, { shotsDir: OUT });
    const cards = problemLines(problems.filter((p) => p.owner === 'card'));
    const host = problemLines(problems.filter((p) => p.owner === 'host'));
    const report = [
      `# Cards as Teams draws them: ${rendered} views, ${cards.length} problems a card can fix`,
      '',
      'card | problem | where',
      '--- | --- | ---',
      ...cards,
      '',
      `## In the host's own colours (${host.length}): the red mark of a required input; a card avoids it by not marking inputs required`,
      '',
      ...host,
      '',
    ].join('\n');
    const file = path.join(OUT, 'report.md');
    await writeFile(file, report);
    console.log(`${rendered} views, ${cards.length} card problems, ${host.length} host problems: ${file}`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
