import { useState } from 'preact/hooks';
import { DashboardResultsDocument, type ResultStatus } from '../../generated/graphql';
import { download, request, type ApiError } from '../api';
import { describeError } from '../errors';
import { formatDateTime, formatSeconds, RESULT_STATUS_LABELS } from '../format';
import { pageArguments, useAnswer, usePagePosition } from '../hooks';
import { FilterSelect, Notice, Pager } from './common';

const PAGE_SIZE = 25;

/** The batch's targets and what happened to each: paged, by status, or one reference id. */
export function ResultsTable({ batchId, refreshKey }: { batchId: string; refreshKey: string }) {
  const [status, setStatus] = useState<ResultStatus | ''>('');
  const [search, setSearch] = useState('');
  const [referenceId, setReferenceId] = useState('');
  const [position, setPosition] = usePagePosition(`${status}/${referenceId}`);
  const { answer, failure, errors } = useAnswer(
    () => request(DashboardResultsDocument, { id: batchId, status: status || undefined, referenceId: referenceId || undefined, ...pageArguments(position, PAGE_SIZE) }),
    [batchId, status, referenceId, position, refreshKey],
  );
  const results = answer?.data.batch?.results ?? null;
  const [downloadError, setDownloadError] = useState<string | null>(null);

  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      <form
        class="filters"
        aria-label="Filter results"
        onSubmit={(event) => {
          event.preventDefault();
          setReferenceId(search.trim());
        }}
      >
        <FilterSelect label="Status" all="All statuses" options={RESULT_STATUS_LABELS} value={status} onChange={(value) => setStatus(value as ResultStatus | '')} />
        <label>
          Reference id <input type="search" value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
        <button type="submit">Find</button>
        {results ? <span class="count">{results.totalCount} results</span> : null}
        {answer?.data.batch ? <DownloadButton path={answer.data.batch.resultsCsvUrl} onError={setDownloadError} /> : null}
      </form>
      {downloadError ? <Notice kind="error">{downloadError}</Notice> : null}
      {[...(failure ? [failure] : []), ...errors].map((text) => (
        <Notice key={text} kind="error">
          {text}
        </Notice>
      ))}
      {results ? (
        <table class="results">
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Target</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Duration</th>
              <th scope="col">Sent</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {results.edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <code>{node.referenceId}</code>
                </td>
                <td>{node.target ?? '—'}</td>
                <td>
                  {RESULT_STATUS_LABELS[node.status]} <code class="vendor-status">{node.vendorStatus}</code>
                </td>
                <td>{node.attemptCount ?? '—'}</td>
                <td>{formatSeconds(node.durationSeconds)}</td>
                <td>{formatDateTime(node.sentAt)}</td>
                <td>{node.errorMessage ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {results && results.edges.length === 0 ? <p>No results match.</p> : null}
      {results ? <Pager label="Pages of results" items="results" pageInfo={results.pageInfo} onMove={setPosition} /> : null}
    </section>
  );
}

/** Every result of the batch with the page's status filter, as CSV (not only the page shown). */
function DownloadButton({ path, onError }: { path: string; onError: (message: string | null) => void }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      title="Every result with this status filter, as a spreadsheet"
      onClick={() => {
        setBusy(true);
        onError(null);
        download(path)
          .catch((error: unknown) => onError(`The download failed: ${describeError(error as ApiError)}`))
          .finally(() => setBusy(false));
      }}
    >
      {busy ? 'Downloading…' : 'Download CSV'}
    </button>
  );
}
