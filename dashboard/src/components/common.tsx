import type { ComponentChildren } from 'preact';
import type { BatchRowFragment, Vendor } from '../../generated/graphql';
import type { AnswerWarning } from '../api';
import { ago, BATCH_STATUS_LABELS, formatTime, VENDOR_LABELS } from '../format';
import type { PagePosition } from '../hooks';

export function VendorBadge({ vendor }: { vendor: Vendor }) {
  return <span class={`badge badge-${vendor.toLowerCase()}`}>{VENDOR_LABELS[vendor]}</span>;
}

/** The normalised status, with the vendor's own word beside it. */
export function StatusText({ batch }: { batch: Pick<BatchRowFragment, 'status' | 'vendorStatus' | 'deletedAt'> }) {
  return (
    <span class="status">
      <span class={`status-name status-${batch.status.toLowerCase()}`}>{batch.deletedAt ? 'Deleted' : BATCH_STATUS_LABELS[batch.status]}</span>{' '}
      <code class="vendor-status" title="Status as the vendor names it">
        {batch.vendorStatus}
      </code>
    </span>
  );
}

export function batchName(batch: Pick<BatchRowFragment, 'fileName' | 'vendorBatchId'>): string {
  return batch.fileName ?? `Batch ${batch.vendorBatchId}`;
}

/** Who runs the batch: its Syllable campaign or its Bolna agent, by name where the vendor gives one. */
export function ownerOf(batch: Pick<BatchRowFragment, 'campaign' | 'agent'>): string {
  if (batch.campaign) return batch.campaign.name ?? `Campaign ${batch.campaign.id}`;
  if (batch.agent) return batch.agent.name ?? `Agent ${batch.agent.id}`;
  return '—';
}

/** "updated 4 s ago", and a warning sign while the vendor is not answering. */
export function Freshness({ fetchedAt, staleSince, now }: { fetchedAt: string; staleSince: string | null; now: number }) {
  return (
    <span class={staleSince ? 'freshness stale' : 'freshness'}>
      <time dateTime={fetchedAt} title={new Date(fetchedAt).toISOString()}>
        updated {ago(fetchedAt, now)}
      </time>
      {staleSince ? <span class="stale-sign"> · stale: vendor not answering since {formatTime(staleSince)}</span> : null}
    </span>
  );
}

export function Notice({ kind, children }: { kind: 'error' | 'warning' | 'info'; children: ComponentChildren }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'info' ? 'status' : 'alert'}>
      {children}
    </div>
  );
}

/** Warnings of an answer (data served older because a vendor fails; what a retry left out) and errors that came beside the data. */
export function AnswerNotices({ warnings, errors }: { warnings: readonly AnswerWarning[]; errors: readonly string[] }) {
  return (
    <>
      {warnings.map((warning) => (
        <Notice key={`${warning.code}-${warning.vendor}-${warning.fetchedAt ?? ''}`} kind="warning">
          {warning.code === 'STALE_DATA' ? 'Stale data: ' : ''}
          {warning.message}
        </Notice>
      ))}
      {errors.map((message) => (
        <Notice key={message} kind="error">
          {message}
        </Notice>
      ))}
    </>
  );
}

/** A labelled select of one filter: "all" or one of `options` (value → label). */
export function FilterSelect({ label, all, options, value, onChange }: { label: string; all: string; options: Readonly<Record<string, string>>; value: string; onChange: (value: string) => void }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        <option value="">{all}</option>
        {Object.entries(options).map(([option, text]) => (
          <option key={option} value={option}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

interface PageInfo {
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly startCursor: string | null;
  readonly endCursor: string | null;
}

/** Previous and next buttons over a cursor-paged connection. */
export function Pager({ label, items, pageInfo, onMove }: { label: string; items: string; pageInfo: PageInfo; onMove: (position: PagePosition) => void }) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" disabled={!pageInfo.hasPreviousPage} onClick={() => onMove({ before: pageInfo.startCursor ?? undefined })}>
        Previous {items}
      </button>
      <button type="button" disabled={!pageInfo.hasNextPage} onClick={() => onMove({ after: pageInfo.endCursor ?? undefined })}>
        Next {items}
      </button>
    </nav>
  );
}
