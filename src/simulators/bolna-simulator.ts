import type { IncomingMessage } from 'node:http';
import { bolnaCounts, createBolnaState } from './bolna-data.js';
import { SimulatorServer, type SimRequest, type SimResponse, type SimulatorOptions } from './sim-server.js';

/**
 * Bolna's batch API as its OpenAPI document describes it: `Authorization: Bearer`, errors as
 * `{error, message}`, and 403 with `{detail}` for a bad key, as Bolna's own client observed.
 */

const HEX32 = /^[0-9a-fA-F]{32}$/;

function error(status: number, message: string): SimResponse {
  return { status, body: { error: status, message } };
}

/** Bolna's published limit on its batch routes, per organization. */
export const BOLNA_REQUESTS_PER_MINUTE = 1000;

export interface BolnaSimulatorOptions extends SimulatorOptions {
  /** @default 1000, as Bolna publishes */
  readonly rateLimitPerMinute?: number;
  readonly apiKey: string;
  readonly seed: number;
  readonly anchor: Date;
  readonly largeBatchTargets?: number;
}

export interface BolnaSimulator {
  readonly server: SimulatorServer;
  /** Agents whose batches the demo data holds. */
  readonly agentIds: readonly string[];
}

export function createBolnaSimulator(options: BolnaSimulatorOptions): BolnaSimulator {
  const state = createBolnaState(options.seed, options.anchor, options.largeBatchTargets);

  function batchFor(request: SimRequest): SimResponse | { entry: ReturnType<typeof state.batches.get> & object } {
    const id = request.params.batch_id ?? '';
    if (!HEX32.test(id)) return error(400, 'batch_id must be 32 hexadecimal characters');
    const entry = state.batches.get(id.toLowerCase());
    return entry ? { entry } : error(404, 'Batch not found');
  }

  function get(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    return { status: 200, body: { ...found.entry.batch, execution_status: bolnaCounts(found.entry.executions) } };
  }

  function listForAgent(request: SimRequest): SimResponse {
    const agentId = request.params.agent_id ?? '';
    const items = [...state.batches.values()]
      .filter((entry) => entry.agentId === agentId)
      .map((entry) => ({ ...entry.batch, execution_status: bolnaCounts(entry.executions) }));
    return { status: 200, body: items };
  }

  // Executions never change here once generated: serialise each batch's rows once.
  const serialised = new WeakMap<object, string>();
  function executions(request: SimRequest): SimResponse {
    const found = batchFor(request);
    if (!('entry' in found)) return found;
    let text = serialised.get(found.entry);
    if (text === undefined) serialised.set(found.entry, (text = JSON.stringify(found.entry.executions)));
    return { status: 200, body: found.entry.executions, text };
  }

  function execution(request: SimRequest): SimResponse {
    const row = state.executions.get(request.params.execution_id ?? '');
    return row ? { status: 200, body: row } : error(404, 'Execution not found');
  }

  const server = new SimulatorServer(
    'bolna',
    [
      { method: 'GET', template: '/batches/{agent_id}/all', handle: listForAgent },
      { method: 'GET', template: '/batches/{batch_id}', handle: get },
      { method: 'GET', template: '/batches/{batch_id}/executions', handle: executions },
      { method: 'GET', template: '/executions/{execution_id}', handle: execution },
    ],
    {
      accepts: (headers: IncomingMessage['headers']) => headers.authorization === `Bearer ${options.apiKey}`,
      rejection: { status: 403, body: { detail: 'Invalid API key' } },
    },
    error,
    options,
    { limit: options.rateLimitPerMinute ?? BOLNA_REQUESTS_PER_MINUTE, windowMs: 60_000 },
  );
  return { server, agentIds: state.agentIds };
}
