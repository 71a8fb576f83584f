import { useEffect, useState } from 'preact/hooks';
import { DashboardResultsDocument, type DashboardResultsQuery, type ResultStatus } from '../../generated/graphql';
import { request, type ApiError } from '../api';
import { describeError } from '../errors';
import { formatDateTime, formatSeconds, RESULT_STATUS_LABELS } from '../format';
import { Notice } from './common';

const PAGE_SIZE = 25;

type Results = NonNullable<NonNullable<DashboardResultsQuery['batch']>['results']>;
type Position = { after?: string; before?: string };

/** The batch's targets and what happened to each: paged, by status, or one reference id. */
export function ResultsTable({ batchId, refreshKey }: { batchId: string; refreshKey: string }) {
  const [status, setStatus] = useState<ResultStatus | ''>('');
  const [search, setSearch] = useState('');
  const [referenceId, setReferenceId] = useState('');
  const [position, setPosition] = useState<Position>({});
  const [results, setResults] = useState<Results | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  useEffect(() => setPosition({}), [status, referenceId]);

  useEffect(() => {
    let current = true;
    const filters = { id: batchId, status: status || undefined, referenceId: referenceId || undefined };
    const page = position.before ? { last: PAGE_SIZE, before: position.before } : { first: PAGE_SIZE, after: position.after };
    request(DashboardResultsDocument, { ...filters, ...page }).then(
      (answer) => {
        if (!current) return;
        setResults(answer.data.batch?.results ?? null);
        setErrors(answer.errors.map(describeError));
      },
      (error: ApiError) => current && setErrors([describeError(error)]),
    );
    return () => {
      current = false;
    };
  }, [batchId, status, referenceId, position, refreshKey]);

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
        <label>
          Status{' '}
          <select value={status} onChange={(event) => setStatus(event.currentTarget.value as ResultStatus | '')}>
            <option value="">All statuses</option>
            {Object.entries(RESULT_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reference id <input type="search" value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
        <button type="submit">Find</button>
        {results ? <span class="count">{results.totalCount} results</span> : null}
      </form>
      {errors.map((text) => (
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
      {results ? (
        <nav class="pager" aria-label="Pages of results">
          <button type="button" disabled={!results.pageInfo.hasPreviousPage} onClick={() => setPosition({ before: results.pageInfo.startCursor ?? undefined })}>
            Previous results
          </button>
          <button type="button" disabled={!results.pageInfo.hasNextPage} onClick={() => setPosition({ after: results.pageInfo.endCursor ?? undefined })}>
            Next results
          </button>
        </nav>
      ) : null}
    </section>
  );
}
