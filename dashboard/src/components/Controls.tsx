import { useState } from 'preact/hooks';
import {
  DashboardCallRateDocument,
  DashboardDeleteDocument,
  DashboardExpiryDocument,
  DashboardPauseDocument,
  DashboardResumeDocument,
  DashboardScheduleDocument,
  DashboardStopDocument,
  type BatchDetailFragment,
  type ControlOutcomeFragment,
  type DashboardDeleteMutation,
} from '../../generated/graphql';
import { request, type Answer, type ApiError } from '../api';
import { describeError, describeFailure } from '../errors';
import { isoToLocalInput, localInputToIso } from '../format';
import { batchName, Notice } from './common';
import { ConfirmDialog } from './ConfirmDialog';

type Deletion = DashboardDeleteMutation['deleteBatch'];
type Message = { kind: 'info' | 'error'; text: string };

/**
 * The controls the batch's capability flags allow, and no other. Each answers the batch as it now
 * is (shown in place) or a typed refusal, worded for a person.
 */
export function Controls({ batch, onChanged, onDeleted }: { batch: BatchDetailFragment; onChanged: (batch: BatchDetailFragment) => void; onDeleted: (deletion: Extract<Deletion, { __typename: 'BatchDeleted' }>) => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [confirming, setConfirming] = useState<'stop' | 'delete' | null>(null);
  const [expiry, setExpiry] = useState(isoToLocalInput(batch.expiresOn));
  const [callRate, setCallRate] = useState(batch.callRate === null ? '' : String(batch.callRate));
  const [autoCallRate, setAutoCallRate] = useState(batch.autoCallRate ?? false);
  const [startAt, setStartAt] = useState('');
  const [reason, setReason] = useState('');
  const name = batchName(batch);

  /** Sends one control; `settle` shows what its answer changed and says what to tell the person. */
  async function send<TData>(exchange: () => Promise<Answer<TData>>, settle: (data: TData) => Message | null) {
    setBusy(true);
    setMessage(null);
    try {
      setMessage(settle((await exchange()).data));
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error as ApiError) });
    } finally {
      setBusy(false);
    }
  }

  /** A control answered with the batch as it now is, or a typed refusal; `done` words its success. */
  function run<TData>(exchange: () => Promise<Answer<TData>>, outcomeOf: (data: TData) => ControlOutcomeFragment, done: string) {
    return send(exchange, (data) => {
      const outcome = outcomeOf(data);
      if (outcome.__typename !== 'BatchMutationSuccess') return { kind: 'error', text: describeFailure(outcome) };
      onChanged(outcome.batch);
      return { kind: 'info', text: done };
    });
  }

  function remove() {
    setConfirming(null);
    return send(
      () => request(DashboardDeleteDocument, { id: batch.id, reason: reason.trim() }),
      ({ deleteBatch: outcome }) => {
        if (outcome.__typename !== 'BatchDeleted') return { kind: 'error', text: describeFailure(outcome) };
        onDeleted(outcome);
        return null;
      },
    );
  }

  const id = batch.id;
  const disabled = busy;
  const any = batch.canPause || batch.canResume || batch.canUpdateExpiry || batch.canUpdateCallRate || batch.canSchedule || batch.canStop || batch.canDelete;
  return (
    <section class="controls" aria-labelledby="controls-title">
      <h2 id="controls-title">Controls</h2>
      {!any ? <p class="muted">Nothing can be changed in this batch in its current state.</p> : null}
      <div class="control-row">
        {batch.canPause ? (
          <button type="button" disabled={disabled} onClick={() => void run(() => request(DashboardPauseDocument, { id }), (d) => d.pauseBatch, 'Paused.')}>
            Pause
          </button>
        ) : null}
        {batch.canResume ? (
          <button type="button" disabled={disabled} onClick={() => void run(() => request(DashboardResumeDocument, { id }), (d) => d.resumeBatch, 'Resumed.')}>
            Resume
          </button>
        ) : null}
        {batch.canStop ? (
          <button type="button" class="danger" disabled={disabled} onClick={() => setConfirming('stop')}>
            Stop
          </button>
        ) : null}
      </div>
      {batch.canUpdateExpiry ? (
        <form
          class="control-row"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => request(DashboardExpiryDocument, { id, expiresOn: localInputToIso(expiry) }), (d) => d.updateBatchExpiry, 'Expiry changed.');
          }}
        >
          <label>
            Expires at <input type="datetime-local" value={expiry} onInput={(event) => setExpiry(event.currentTarget.value)} />
          </label>
          <button type="submit" disabled={disabled || !expiry}>
            Set expiry
          </button>
          {batch.expiresOn ? (
            <button type="button" disabled={disabled} onClick={() => void run(() => request(DashboardExpiryDocument, { id, expiresOn: null }), (d) => d.updateBatchExpiry, 'Expiry cleared.')}>
              Clear expiry
            </button>
          ) : null}
        </form>
      ) : null}
      {batch.canUpdateCallRate ? (
        <form
          class="control-row"
          onSubmit={(event) => {
            event.preventDefault();
            const rate = callRate.trim() === '' ? null : Number(callRate);
            void run(() => request(DashboardCallRateDocument, { id, callRate: rate, autoCallRate }), (d) => d.updateBatchCallRate, 'Pace changed.');
          }}
        >
          <label>
            Calls per hour <input type="number" min={1} max={3600} step={1} value={callRate} placeholder="campaign's rate" onInput={(event) => setCallRate(event.currentTarget.value)} />
          </label>
          <label class="check">
            <input type="checkbox" checked={autoCallRate} onChange={(event) => setAutoCallRate(event.currentTarget.checked)} /> Pace from expiry
          </label>
          <button type="submit" disabled={disabled}>
            Set call rate
          </button>
        </form>
      ) : null}
      {batch.canSchedule ? (
        <form
          class="control-row"
          onSubmit={(event) => {
            event.preventDefault();
            const at = localInputToIso(startAt);
            if (at) void run(() => request(DashboardScheduleDocument, { id, at }), (d) => d.scheduleBatch, 'Scheduled.');
          }}
        >
          <label>
            Start at <input type="datetime-local" value={startAt} onInput={(event) => setStartAt(event.currentTarget.value)} />
          </label>
          <button type="submit" disabled={disabled || !startAt}>
            Schedule
          </button>
        </form>
      ) : null}
      {batch.canDelete ? (
        <div class="control-row">
          <button type="button" class="danger" disabled={disabled} onClick={() => setConfirming('delete')}>
            Delete
          </button>
        </div>
      ) : null}
      {busy ? (
        <p class="muted" role="status">
          Sending…
        </p>
      ) : null}
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      {confirming === 'stop' ? (
        <ConfirmDialog
          title={`Stop ${name}?`}
          confirmLabel="Stop batch"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            setConfirming(null);
            void run(() => request(DashboardStopDocument, { id }), (d) => d.stopBatch, 'Stopped: calls not yet placed will not be placed.');
          }}
        >
          <p>Calls not yet placed will not be placed. A stopped batch cannot be started again.</p>
        </ConfirmDialog>
      ) : null}
      {confirming === 'delete' ? (
        <ConfirmDialog title={`Delete ${name}?`} confirmLabel="Delete batch" onCancel={() => setConfirming(null)} onConfirm={() => void remove()}>
          <p>{batch.vendor === 'BOLNA' ? 'Bolna removes the batch and its results for good.' : 'Syllable keeps the batch, marked deleted, with your reason.'}</p>
          <label>
            Reason <input type="text" required value={reason} onInput={(event) => setReason(event.currentTarget.value)} />
          </label>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
