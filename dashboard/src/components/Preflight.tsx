import type { PreflightFragment } from '../../generated/graphql';

/** Issues shown at once; the counts cover every row. */
const SHOWN_ISSUES = 50;

/** The check of a list before anything is created: its counts, then the first rows with issues, by row, in words. */
export function Preflight({ validation }: { validation: PreflightFragment }) {
  const { total, valid, invalid, duplicates, issues, variableNames } = validation;
  const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
  return (
    <section class="preflight" aria-labelledby="preflight-title">
      <h2 id="preflight-title">Check of the list</h2>
      <p class="preflight-counts">
        {count(total, 'row', 'rows')}: <strong>{count(valid, 'to call', 'to call')}</strong>
        {invalid > 0 ? `, ${count(invalid, 'invalid row', 'invalid rows')} (never sent)` : ''}
        {duplicates > 0 ? `, ${count(duplicates, 'repeated number', 'repeated numbers')} (called once)` : ''}.
        {variableNames.length > 0 ? ` Variables: ${variableNames.join(', ')}.` : ''}
      </p>
      {issues.length > 0 ? (
        <table class="issues">
          <caption>Rows with issues, first {Math.min(SHOWN_ISSUES, issues.length)}; row 1 is the first line after the header.</caption>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">What is wrong</th>
            </tr>
          </thead>
          <tbody>
            {issues.slice(0, SHOWN_ISSUES).map((issue) => (
              <tr key={`${issue.row}-${issue.field}-${issue.code}`} data-code={issue.code}>
                <td>{issue.row.toLocaleString()}</td>
                <td>{issue.message.replace(/^Row \d+: /, '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">No issues: every row can be called.</p>
      )}
      {issues.length > SHOWN_ISSUES ? <p class="muted">and {(issues.length - SHOWN_ISSUES).toLocaleString()} more issues not shown.</p> : null}
    </section>
  );
}
