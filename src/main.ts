import { ConfigError, loadConfig } from './config/index.js';
import { startDemoVendors } from './demo.js';
import { createLogger } from './logger.js';
import { startServer } from './server/server.js';
import { loadSimulatorSettings } from './simulators/settings.js';

let logger = createLogger();

try {
  const config = loadConfig();
  logger = createLogger({ level: config.observability.logLevel });
  // Demo mode (no vendor key): the simulators first, on any free loopback port (4010/4020 are for
  // `npm run simulate`), with their own settings; the server only learns where they are.
  const demo = config.demo ? await startDemoVendors({ ...loadSimulatorSettings(), syllablePort: 0, bolnaPort: 0 }, logger) : null;
  const running = await startServer(config, { logger, endpoints: demo?.endpoints });
  if (running.dashboardUrl) logger.info(`Dashboard at ${running.dashboardUrl}`);
  logger.info(config.server.graphiql ? `GraphQL API and GraphiQL at ${running.graphqlUrl}` : `GraphQL API at ${running.graphqlUrl}`);
  // Lines are written in batches: where to go is shown at once.
  logger.flush();
  const stop = (signal: string) => {
    logger.info(`${signal}: shutting down; requests in flight have ${config.shutdownGraceMs} ms to finish`);
    running
      .close({ graceMs: config.shutdownGraceMs })
      .then(() => demo?.simulators.close())
      .then(
        () => {
          logger.info('stopped');
          process.exit(0);
        },
        () => process.exit(1),
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  if (error instanceof ConfigError) {
    logger.error(error.message);
    process.exit(1);
  }
  logger.error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
