import { AllResultsDocument, type AllResultsQuery, type ResultStatus } from '../generated/graphql.js';
import { dataOf, type Harness } from './harness.js';

export type ResultRow = NonNullable<NonNullable<AllResultsQuery['batch']>['results']>['edges'][number]['node'];

/** Every result of a batch through GraphQL, all pages, optionally of one status. */
export async function allResults(h: Harness, id: string, status?: ResultStatus): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: AllResultsQuery = dataOf(await h.gql(AllResultsDocument, { id, status, after }));
    const page = answer.batch!.results!;
    rows.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor ?? null;
  }
}
