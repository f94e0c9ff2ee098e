/**
 * The fault controls inside the controller's own container, where the instructor token is, for
 * Docker Compose (natively, `npx lab chaos …` does the same with the token from the state dir):
 *   docker compose -p firedrill exec chaos node chaos/src/cli/main.ts inject latency --target api --ms 800
 * Only someone who can exec into the controller's container holds the token; trainees cannot.
 */
import { loadControllerConfig } from '../controller/config.ts';
import { readToken } from '../shared/token-file.ts';
import { chaosCommandHelp, runChaosCli } from './chaos-cli.ts';

const usage = `Usage: node chaos/src/cli/main.ts <command>\n${chaosCommandHelp}`;
const argv = process.argv.slice(2);

if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help')) {
  console.log(usage);
} else {
  try {
    const config = loadControllerConfig();
    process.exitCode = await runChaosCli(argv, {
      controllerUrl: `http://127.0.0.1:${config.PORT}`,
      token: readToken(config.INSTRUCTOR_TOKEN_FILE),
      // The journal's "who": the container has one user, so the instructor is named by where they
      // stand (the controller accepts [\w.@:-] only).
      actor: 'instructor@compose',
      out: (line) => console.log(line),
    });
  } catch (err) {
    console.error(`chaos: ${(err as Error).message}\n\n${usage}`);
    process.exitCode = 2;
  }
}
