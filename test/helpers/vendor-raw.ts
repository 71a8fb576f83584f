import type { RunningSimulators } from '../../src/simulators/index.js';

/** Reads a simulator as a vendor client would, to compare our answers with the vendor's own data. */
export async function vendorGet(simulators: RunningSimulators, vendor: 'syllable' | 'bolna', path: string): Promise<unknown> {
  const sim = simulators[vendor];
  const headers: Record<string, string> = vendor === 'syllable' ? { 'Syllable-API-Key': sim.apiKey } : { authorization: `Bearer ${sim.apiKey}` };
  const response = await fetch(`${sim.url}${path}`, { headers });
  if (!response.ok) throw new Error(`${vendor} ${path}: HTTP ${response.status}`);
  return response.json();
}

export type RawBatch = Record<string, unknown> & { batch_id: string; status: string };

export async function allSyllableBatches(simulators: RunningSimulators): Promise<RawBatch[]> {
  const body = (await vendorGet(simulators, 'syllable', '/api/v1/outbound/batches?limit=1000')) as { items: RawBatch[] };
  return body.items;
}

export async function allBolnaBatches(simulators: RunningSimulators): Promise<Array<RawBatch & { agentId: string }>> {
  const lists = await Promise.all(
    simulators.bolna.agentIds.map(async (agentId) =>
      ((await vendorGet(simulators, 'bolna', `/batches/${agentId}/all`)) as RawBatch[]).map((batch) => ({ ...batch, agentId })),
    ),
  );
  return lists.flat();
}
