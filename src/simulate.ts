import { ConfigError } from './env.js';
import { createLogger } from './logger.js';
import { pino } from 'pino';
import { startSimulators, vendorEnvFor } from './simulators/index.js';
import { loadSimulatorSettings } from './simulators/settings.js';

/** `npm run simulate`: both vendor simulators alone, for trying the vendor APIs or pointing a server at them. */
const logger = createLogger({ name: 'simulators', destination: pino.destination({ dest: 2, sync: true }) });
let settings;
try {
  settings = loadSimulatorSettings();
} catch (error) {
  logger.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
const simulators = await startSimulators(settings);
logger.info(`Syllable simulator: ${simulators.syllable.url} (header Syllable-API-Key: ${simulators.syllable.apiKey})`);
logger.info(`Bolna simulator:    ${simulators.bolna.url} (header Authorization: Bearer ${simulators.bolna.apiKey})`);
logger.info(`Bolna agents: ${simulators.bolna.agentIds.join(',')}`);
logger.info('Request counts: GET <simulator>/__sim/stats. To serve the API over them, in another shell:');
// The simulators are local and hold no real data: the API over them may run without caller auth.
const assignments = Object.entries({ AUTH_DISABLED: 'true', ...vendorEnvFor(simulators) }).map(([name, value]) => `${name}=${value}`);
process.stdout.write(`${assignments.join(' ')} npm start\n`);
const stop = () => {
  void simulators.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
