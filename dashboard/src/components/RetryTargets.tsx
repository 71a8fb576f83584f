import { useRef, useState } from 'preact/hooks';
import { DashboardLaunchPlacesDocument, DashboardRetryableDocument, DashboardRetryTargetsDocument, type BatchDetailFragment, type ResultStatus, type RetryDestinationInput } from '../../generated/graphql';
import { newIdempotencyKey, request, type ApiError } from '../api';
import { describeError, describeFailure } from '../errors';
import { flash } from '../flash';
import { isFinal, VENDOR_LABELS } from '../format';
import { batchHref, useAnswer } from '../hooks';
import { ownerOf, Notice } from './common';
import { ConfirmDialog } from './ConfirmDialog';

/** The retries offered: who was not reached, and whose call failed. */
const RETRIES: ReadonlyArray<{ status: ResultStatus; label: string; field: 'notReached' | 'failed' }> = [
  { status: 'NOT_REACHED', label: 'Retry not reached', field: 'notReached' },
  { status: 'FAILED', label: 'Retry failed', field: 'failed' },
];

/** Where the new batch goes: `same` (the batch's own campaign or agent), or `<VENDOR>:<campaign or agent id>`. */
type Destination = string;

interface Asked {
  readonly status: ResultStatus;
  readonly count: number;
  /** One key per confirmation: a second click, or a click after a lost answer, makes no second batch. */
  readonly key: string;
}

/**
 * "Retry not reached (N)" and "Retry failed (N)": a new batch of those targets, at the batch's own
 * campaign or agent or another one (of either vendor), after a confirmation that names where it
 * goes. The new batch opens once it is made.
 */
export function RetryTargets({ batch, refreshKey }: { batch: BatchDetailFragment; refreshKey: string }) {
  const counts = useAnswer(() => request(DashboardRetryableDocument, { id: batch.id }), [batch.id, refreshKey]);
  const [asked, setAsked] = useState<Asked | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const retryable = counts.answer?.data.batch ?? null;

  /** The retry asked for, to where the dialog says: the new batch opens, with what the answer warned of. */
  async function confirm(asked: Asked, into: RetryDestinationInput | null, where: string) {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await request(DashboardRetryTargetsDocument, { id: batch.id, statuses: [asked.status], idempotencyKey: asked.key, into });
      const outcome = answer.data.retryBatchTargets;
      if (outcome.__typename === 'BatchMutationSuccess') {
        flash([`This batch calls again ${asked.count} targets of ${batch.id} (${where}).`, ...answer.warnings.map((warning) => warning.message)]);
        setAsked(null);
        location.hash = batchHref(outcome.batch.id);
      } else {
        setMessage(describeFailure(outcome));
        setAsked(null);
      }
    } catch (error) {
      setMessage(describeError(error as ApiError));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="controls" aria-labelledby="retry-title">
      <h2 id="retry-title">Call again</h2>
      <div class="control-row">
        {RETRIES.map(({ status, label, field }) => {
          const count = retryable?.[field] ?? null;
          return (
            <button key={status} type="button" disabled={busy || !count} onClick={() => setAsked({ status, count: count ?? 0, key: newIdempotencyKey() })}>
              {label} ({count ?? '…'})
            </button>
          );
        })}
      </div>
      {counts.failure ? <Notice kind="error">{counts.failure}</Notice> : null}
      {message ? <Notice kind="error">{message}</Notice> : null}
      {asked ? (
        <RetryDialog
          batch={batch}
          asked={asked}
          busy={busy}
          onCancel={() => setAsked(null)}
          onConfirm={(into, where) => void confirm(asked, into, where)}
        />
      ) : null}
    </section>
  );
}

function RetryDialog({
  batch,
  asked,
  busy,
  onCancel,
  onConfirm,
}: {
  batch: BatchDetailFragment;
  asked: Asked;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (into: RetryDestinationInput | null, where: string) => void;
}) {
  const places = useAnswer(() => request(DashboardLaunchPlacesDocument, {}), []);
  const [destination, setDestination] = useState<Destination>('same');
  const confirmed = useRef(false);
  const campaigns = places.answer?.data.campaigns ?? [];
  const agents = places.answer?.data.agents ?? [];
  const sameText = `${VENDOR_LABELS[batch.vendor]}, ${ownerOf(batch)} (as this batch)`;
  const chosen = destinationOf(destination, campaigns, agents);
  const where = chosen ? `${VENDOR_LABELS[chosen.into.vendor]}, ${chosen.name}` : sameText;
  const what = asked.status === 'NOT_REACHED' ? 'not reached' : 'whose call failed';

  return (
    <ConfirmDialog
      title={`Call again ${asked.count} targets ${what}?`}
      confirmLabel={busy ? 'Creating…' : 'Create the new batch'}
      onCancel={onCancel}
      onConfirm={() => {
        // The dialog stays until the answer: a second click sends the same key, so it makes nothing more.
        if (busy && confirmed.current) return;
        confirmed.current = true;
        onConfirm(chosen?.into ?? null, where);
      }}
    >
      <p>
        A new batch is created at <strong>{where}</strong> with these {asked.count} targets, their reference ids and variables. This batch is not changed.
      </p>
      <label>
        Where{' '}
        <select value={destination} onChange={(event) => setDestination(event.currentTarget.value)}>
          <option value="same">{sameText}</option>
          {campaigns.map((campaign) => (
            <option key={`SYLLABLE:${campaign.id}`} value={`SYLLABLE:${campaign.id}`}>
              Syllable, {campaign.name ?? `campaign ${campaign.id}`}
            </option>
          ))}
          {agents.map((agent) => (
            <option key={`BOLNA:${agent.id}`} value={`BOLNA:${agent.id}`}>
              Bolna, {agent.name ?? `agent ${agent.id}`}
            </option>
          ))}
        </select>
      </label>
      {isFinal(batch) ? null : <Notice kind="warning">This batch is still running: the targets it has not finished may still be reached. The new batch takes them as they are now.</Notice>}
    </ConfirmDialog>
  );
}

function destinationOf(
  destination: Destination,
  campaigns: ReadonlyArray<{ id: string; name?: string | null }>,
  agents: ReadonlyArray<{ id: string; name?: string | null }>,
): { into: RetryDestinationInput; name: string } | null {
  if (destination === 'same') return null;
  const at = destination.indexOf(':');
  const vendor = destination.slice(0, at);
  const id = destination.slice(at + 1);
  if (vendor === 'SYLLABLE') return { into: { vendor: 'SYLLABLE', campaignId: id }, name: campaigns.find((c) => c.id === id)?.name ?? `campaign ${id}` };
  return { into: { vendor: 'BOLNA', agentId: id }, name: agents.find((a) => a.id === id)?.name ?? `agent ${id}` };
}
