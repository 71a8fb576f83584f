import { useState } from 'preact/hooks';
import { DashboardAddTargetsDocument, DashboardRemoveTargetsDocument, type BatchDetailFragment, type PreflightFragment } from '../../generated/graphql';
import { request, type ApiError } from '../api';
import { describeError, describeFailure } from '../errors';
import { Notice } from './common';
import { Preflight } from './Preflight';

type Message = { kind: 'info' | 'error'; text: string };

/** One target a line: `number` or `number, reference id`. */
function targetsOf(text: string) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [phoneNumber = '', referenceId] = line.split(',').map((part) => part.trim());
      return { phoneNumber, referenceId: referenceId || null };
    });
}

/** "Add targets" and "Remove" for a batch whose vendor takes them (Syllable): each answers what the batch now holds. */
export function TargetEdits({ batch, onChanged }: { batch: BatchDetailFragment; onChanged: (batch: BatchDetailFragment) => void }) {
  const [adding, setAdding] = useState('');
  const [removing, setRemoving] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [refused, setRefused] = useState<PreflightFragment | null>(null);

  async function add() {
    setBusy(true);
    setMessage(null);
    setRefused(null);
    try {
      const outcome = (await request(DashboardAddTargetsDocument, { id: batch.id, targets: targetsOf(adding) })).data.addBatchTargets;
      if (outcome.__typename === 'BatchTargetsAdded') {
        onChanged(outcome.batch);
        setAdding('');
        const missed = outcome.notAdded.map((target) => `row ${target.row}: ${target.message}`).join(' ');
        setMessage({ kind: outcome.notAdded.length > 0 ? 'error' : 'info', text: `Added ${outcome.added}.${missed ? ` Not added: ${missed}` : ''}` });
      } else {
        if (outcome.__typename === 'InvalidInputError' && outcome.refused) setRefused(outcome.refused);
        setMessage({ kind: 'error', text: describeFailure(outcome) });
      }
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error as ApiError) });
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    setMessage(null);
    try {
      const referenceIds = removing.split(/[\s,]+/).filter(Boolean);
      const outcome = (await request(DashboardRemoveTargetsDocument, { id: batch.id, referenceIds })).data.removeBatchTargets;
      if (outcome.__typename === 'BatchTargetsRemoved') {
        onChanged(outcome.batch);
        setRemoving('');
        const kept = outcome.notRemoved.map((target) => target.message).join(' ');
        setMessage({ kind: kept ? 'error' : 'info', text: `Removed ${outcome.removed}.${kept ? ` ${kept}` : ''}` });
      } else {
        setMessage({ kind: 'error', text: describeFailure(outcome) });
      }
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error as ApiError) });
    } finally {
      setBusy(false);
    }
  }

  if (!batch.canAddTargets && !batch.canRemoveTargets) return null;
  return (
    <section class="controls" aria-labelledby="targets-title">
      <h2 id="targets-title">Targets</h2>
      {batch.canAddTargets ? (
        <form
          class="control-row"
          onSubmit={(event) => {
            event.preventDefault();
            void add();
          }}
        >
          <label>
            Add targets, one a line: number, reference id (optional)
            <textarea rows={3} cols={40} value={adding} onInput={(event) => setAdding(event.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || adding.trim() === ''}>
            Add targets
          </button>
        </form>
      ) : null}
      {batch.canRemoveTargets ? (
        <form
          class="control-row"
          onSubmit={(event) => {
            event.preventDefault();
            void remove();
          }}
        >
          <label>
            Reference ids of waiting targets <input type="text" value={removing} onInput={(event) => setRemoving(event.currentTarget.value)} />
          </label>
          <button type="submit" disabled={busy || removing.trim() === ''}>
            Remove
          </button>
        </form>
      ) : null}
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {refused ? <Preflight validation={refused} /> : null}
    </section>
  );
}
