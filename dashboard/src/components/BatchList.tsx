import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  DashboardBatchesDocument,
  DashboardProgressDocument,
  type BatchRowFragment,
  type BatchStatus,
  type Vendor,
} from '../../generated/graphql';
import { request, subscribe, type ApiError } from '../api';
import { describeError } from '../errors';
import { BATCH_STATUS_LABELS, formatDateTime, isFinal, VENDOR_LABELS } from '../format';
import { batchHref, listHref, pageArguments, useAnswer, useNow, usePagePosition } from '../hooks';
import { AnswerNotices, batchName, FilterSelect, Freshness, Notice, ownerOf, Pager, StatusText, VendorBadge } from './common';
import { ProgressBar } from './ProgressBar';

const PAGE_SIZE = 20;
const NO_UPDATES: Readonly<Record<string, BatchRowFragment>> = {};

/** Bolna's ids are 32 hex digits: their start tells batches apart, the tooltip has the rest. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

function oneOf<T extends string>(value: string | null, allowed: Record<T, string>): T | undefined {
  return value !== null && value in allowed ? (value as T) : undefined;
}

/** Every batch of both vendors, newest first, filtered by vendor and status, kept live. */
export function BatchList({ params, onAuthError }: { params: URLSearchParams; onAuthError: (error: ApiError) => void }) {
  const vendor = oneOf<Vendor>(params.get('vendor'), VENDOR_LABELS);
  const status = oneOf<BatchStatus>(params.get('status'), BATCH_STATUS_LABELS);
  const [position, setPosition] = usePagePosition(`${vendor}/${status}`);
  // Live events replace rows of the page they came for; another page (or filter) starts without them.
  const [live, setLive] = useState<{ page: unknown; rows: Readonly<Record<string, BatchRowFragment>> }>({ page: null, rows: {} });
  const [staleSince, setStaleSince] = useState<Record<string, string | null>>({});
  const [liveError, setLiveError] = useState<string | null>(null);
  const now = useNow();

  const { answer, failure, errors } = useAnswer(() => request(DashboardBatchesDocument, { ...pageArguments(position, PAGE_SIZE), vendor, status }), [vendor, status, position], onAuthError);
  const page = answer?.data.batches ?? null;
  // Rows come from the answer in the same render as its count, so the two always agree.
  const updated = live.page === page ? live.rows : NO_UPDATES;
  const rows = useMemo(() => page?.edges.map((edge) => updated[edge.node.id] ?? edge.node) ?? [], [page, updated]);
  const pageRef = useRef(page);
  pageRef.current = page;

  // Only batches that can still change are watched; one stream for the whole page.
  const watched = useMemo(
    () =>
      rows
        .filter((row) => !isFinal(row))
        .map((row) => row.id)
        .sort(),
    [rows],
  );
  const watchKey = watched.join(' ');
  useEffect(() => {
    if (watched.length === 0) return;
    setLiveError(null);
    return subscribe(DashboardProgressDocument, { ids: watched }, {
      next: ({ data }) => {
        const event = data.batchesProgress;
        setLiveError(null);
        setLive((current) => {
          const shown = pageRef.current;
          return { page: shown, rows: { ...(current.page === shown ? current.rows : {}), [event.batch.id]: event.batch } };
        });
        setStaleSince((current) => ({ ...current, [event.batch.id]: event.staleSince }));
      },
      error: (error) => setLiveError(`Live updates stopped: ${describeError(error)}`),
    });
    // The key stands for the ids: a page of the same watched batches keeps its stream.
  }, [watchKey]);

  const filterHref = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    return listHref(next);
  };

  return (
    <main>
      <h1>Outbound batches</h1>
      <form class="filters" aria-label="Filter batches" onSubmit={(event) => event.preventDefault()}>
        <FilterSelect label="Vendor" all="All vendors" options={VENDOR_LABELS} value={vendor ?? ''} onChange={(value) => (location.hash = filterHref('vendor', value))} />
        <FilterSelect label="Status" all="All statuses" options={BATCH_STATUS_LABELS} value={status ?? ''} onChange={(value) => (location.hash = filterHref('status', value))} />
        {page ? <span class="count" aria-live="polite">{page.totalCount} batches</span> : null}
      </form>
      {failure ? <Notice kind="error">{failure}</Notice> : null}
      {liveError ? <Notice kind="warning">{liveError}</Notice> : null}
      {page && page.incompleteVendors.length > 0 ? (
        <Notice kind="warning">
          Some batches are missing: {page.incompleteVendors.map((v) => VENDOR_LABELS[v]).join(' and ')} could not be read in full.
        </Notice>
      ) : null}
      <AnswerNotices warnings={answer?.warnings ?? []} errors={errors} />
      {page === null && failure === null ? <p class="loading">Loading batches…</p> : null}
      {page ? (
        <table class="batches">
          <caption class="visually-hidden">Batches, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Campaign or agent</th>
              <th scope="col" class="progress-column">
                Progress
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-batch-id={row.id}>
                <td>
                  <VendorBadge vendor={row.vendor} /> <a href={batchHref(row.id)}>{batchName(row)}</a>
                  <div class="muted">
                    <code title={row.vendorBatchId}>{shortId(row.vendorBatchId)}</code> · <Freshness fetchedAt={row.fetchedAt} staleSince={staleSince[row.id] ?? null} now={now} />
                  </div>
                </td>
                <td>
                  <StatusText batch={row} />
                </td>
                <td>{formatDateTime(row.createdAt)}</td>
                <td>{ownerOf(row)}</td>
                <td>
                  <ProgressBar progress={row.progress} name={batchName(row)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {page && rows.length === 0 ? <p>No batches match these filters.</p> : null}
      {page ? <Pager label="Pages of batches" items="page" pageInfo={page.pageInfo} onMove={setPosition} /> : null}
    </main>
  );
}
