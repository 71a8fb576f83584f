import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { DashboardBatchDocument, DashboardBatchProgressDocument, type BatchDetailFragment, type ResultStatus } from '../../generated/graphql';
import { request, subscribe, type ApiError } from '../api';
import { describeError } from '../errors';
import { formatDateTime, fromNow, isFinal, RESULT_STATUS_LABELS } from '../format';
import { useAnswer, useNow } from '../hooks';
import { Burndown } from './Burndown';
import { AnswerNotices, batchName, Freshness, Notice, ownerOf, StatusText, VendorBadge } from './common';
import { Controls } from './Controls';
import { TargetEdits } from './TargetEdits';
import { RetryTargets } from './RetryTargets';
import { takeFlash } from '../flash';
import { ProgressBar } from './ProgressBar';
import { ResultsTable } from './ResultsTable';

/** One batch: counts per status and channel, ETA, burndown, controls and results, kept live. */
export function BatchDetail({ id, canWrite, onAuthError }: { id: string; canWrite: boolean; onAuthError: (error: ApiError) => void }) {
  const [batch, setBatch] = useState<BatchDetailFragment | null>(null);
  const [staleSince, setStaleSince] = useState<string | null>(null);
  const [liveError, setLiveError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  // What the retry that made this batch told (shown once, on arrival).
  const [flashed] = useState(takeFlash);
  const now = useNow();

  const { answer, failure, errors } = useAnswer(() => request(DashboardBatchDocument, { id }), [id, reads], onAuthError);
  const missing = answer && !answer.data.batch ? (answer.errors[0]?.message ?? 'No such batch.') : null;
  // Live events and controls replace the batch in place; a new answer starts over.
  useEffect(() => setBatch(answer?.data.batch ?? null), [answer]);

  const watch = batch !== null && !isFinal(batch);
  useEffect(() => {
    if (!watch) return;
    return subscribe(DashboardBatchProgressDocument, { id }, {
      next: ({ data }) => {
        setLiveError(null);
        setBatch(data.batchProgress.batch);
        setStaleSince(data.batchProgress.staleSince);
      },
      error: (error) => setLiveError(`Live updates stopped: ${describeError(error)}`),
    });
  }, [id, watch]);

  if (failure) return <Page><Notice kind="error">{failure}</Notice></Page>;
  if (missing) return <Page><Notice kind="error">{missing}</Notice></Page>;
  if (deleted) return <Page><Notice kind="info">{deleted}</Notice></Page>;
  if (!batch) return <Page><p class="loading">Loading the batch…</p></Page>;

  const name = batchName(batch);
  const { eta } = batch;
  return (
    <Page>
      <h1>
        <VendorBadge vendor={batch.vendor} /> {name}
      </h1>
      <p class="summary">
        <StatusText batch={batch} /> · {ownerOf(batch)} · created {formatDateTime(batch.createdAt)} · <Freshness fetchedAt={batch.fetchedAt} staleSince={staleSince} now={now} />
      </p>
      {flashed.map((text) => (
        <Notice key={text} kind="info">
          {text}
        </Notice>
      ))}
      {liveError ? <Notice kind="warning">{liveError}</Notice> : null}
      <AnswerNotices warnings={answer?.warnings ?? []} errors={errors} />
      {batch.errorMessage ? <Notice kind="error">The vendor reports: {batch.errorMessage}</Notice> : null}
      <ProgressBar progress={batch.progress} name={name} large />
      {eta.expiresBeforeFinish ? (
        <Notice kind="warning">
          At this pace the batch expires before it finishes: {eta.unfinishedAtExpiry} targets would be left at {formatDateTime(batch.expiresOn)}. Extend the expiry or raise the call
          rate.
        </Notice>
      ) : null}
      <dl class="facts">
        <dt>Finishes</dt>
        <dd>
          {finishText(batch, now)}
          {eta.callsPerHour !== null ? ` at ${Math.round(eta.callsPerHour)} calls an hour` : ''} <span class="muted">({eta.basis})</span>
        </dd>
        <dt>Expires</dt>
        <dd>{batch.expiresOn ? formatDateTime(batch.expiresOn) : 'never'}</dd>
        {batch.scheduledAt ? (
          <>
            <dt>Scheduled</dt>
            <dd>{formatDateTime(batch.scheduledAt)}</dd>
          </>
        ) : null}
        {batch.vendor === 'SYLLABLE' ? (
          <>
            <dt>Pace</dt>
            <dd>
              {batch.autoCallRate ? `automatic from expiry${batch.autoCallRateBaseline !== null ? ` (${Math.round(batch.autoCallRateBaseline)} an hour)` : ''}` : batch.callRate !== null ? `${batch.callRate} calls an hour` : `the campaign's${batch.campaign?.hourlyRate ? ` ${batch.campaign.hourlyRate} calls an hour` : ''}`}
            </dd>
          </>
        ) : null}
        {batch.deletedAt ? (
          <>
            <dt>Deleted</dt>
            <dd>{formatDateTime(batch.deletedAt)}</dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="counts-title">
        <h2 id="counts-title">Counts</h2>
        <table class="counts">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">As the vendor says</th>
              <th scope="col" class="number">
                Targets
              </th>
            </tr>
          </thead>
          <tbody>
            {batch.statusCounts.length === 0 ? (
              <tr>
                <td colSpan={3}>No targets yet.</td>
              </tr>
            ) : null}
            {countRows(batch.statusCounts).map((row) => (
              <tr key={row.vendorStatus.join('/')}>
                <td>{RESULT_STATUS_LABELS[row.status]}</td>
                <td>
                  <code>{row.vendorStatus.join(' › ')}</code>
                </td>
                <td class="number">{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="burndown-title">
        <h2 id="burndown-title">Burndown</h2>
        <Burndown batch={batch} />
      </section>
      {canWrite ? <TargetEdits batch={batch} onChanged={setBatch} /> : null}
      {canWrite ? <RetryTargets batch={batch} refreshKey={`${batch.status}|${batch.progress.finished}|${batch.totalCount}`} /> : null}
      {canWrite ? (
        <Controls
          batch={batch}
          onChanged={setBatch}
          onDeleted={() =>
            // Bolna forgets the batch; Syllable keeps it marked deleted, as a fresh read shows.
            batch.vendor === 'BOLNA' ? setDeleted(`${name} is deleted: Bolna keeps nothing of it.`) : setReads((n) => n + 1)
          }
        />
      ) : (
        <p class="muted">Your token may read but not change batches (it lacks batches:write), so the controls are hidden.</p>
      )}
      <ResultsTable batchId={batch.id} refreshKey={`${batch.status}|${batch.paused}|${batch.deletedAt ?? ''}|${batch.totalCount}`} />
    </Page>
  );
}

/** When the batch finishes, in words: never a time in the past. */
function finishText(batch: BatchDetailFragment, now: number): string {
  const { eta, progress } = batch;
  if (eta.finishesAt) return `${formatDateTime(eta.finishesAt)} (${fromNow(eta.finishesAt, now)})`;
  if (progress.total > 0 && progress.finished === progress.total) return 'finished';
  if (eta.stalledSince) return `not moving since ${formatDateTime(eta.stalledSince)}`;
  return 'not known yet';
}

type CountRow = { readonly status: ResultStatus; readonly vendorStatus: readonly string[]; readonly count: number };

/**
 * One row per normalised status: a vendor status whose channel breakdown normalises otherwise
 * (Syllable CONNECTED, ended NO-ANSWER: not reached) is shown as its parts, each under its own
 * status, and what the breakdown does not cover under the parent's; in the order of a batch's life.
 */
function countRows(counts: BatchDetailFragment['statusCounts']): CountRow[] {
  const rows: CountRow[] = [];
  for (const count of counts) {
    let covered = 0;
    for (const part of count.breakdown) {
      rows.push({ status: part.status, vendorStatus: [count.vendorStatus, part.vendorStatus], count: part.count });
      covered += part.count;
    }
    if (count.count > covered) rows.push({ status: count.status, vendorStatus: [count.vendorStatus], count: count.count - covered });
  }
  const order = Object.keys(RESULT_STATUS_LABELS);
  return rows.sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
}

function Page({ children }: { children: ComponentChildren }) {
  return (
    <main>
      <p>
        <a href="#/">← All batches</a>
      </p>
      {children}
    </main>
  );
}
