import type { BatchRowFragment } from '../../generated/graphql';
import { percent } from '../format';

type Progress = BatchRowFragment['progress'];

/** The bar's parts, in the order a batch moves through them, with their legend names. */
const SEGMENTS = [
  { key: 'completed', label: 'completed' },
  { key: 'notReached', label: 'not reached' },
  { key: 'failed', label: 'failed' },
  { key: 'canceled', label: 'canceled' },
  { key: 'inProgress', label: 'in progress' },
  { key: 'pending', label: 'pending' },
] as const satisfies ReadonlyArray<{ key: keyof Progress; label: string }>;

export function progressSummary(progress: Progress): string {
  return SEGMENTS.filter(({ key }) => progress[key] > 0)
    .map(({ key, label }) => `${progress[key]} ${label}`)
    .join(', ');
}

/**
 * A stacked bar of a batch's targets by state. Assistive technology reads it as a progressbar
 * whose value is the finished share, named after the batch, with the counts as its text.
 */
export function ProgressBar({ progress, name, large = false }: { progress: Progress; name: string; large?: boolean }) {
  const value = Math.round(progress.finishedFraction * 1000) / 10;
  const summary = progressSummary(progress) || 'no targets';
  return (
    <div class={large ? 'progress progress-large' : 'progress'}>
      <div
        class="bar"
        role="progressbar"
        aria-label={`Progress of ${name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={`${percent(progress.finishedFraction)} finished: ${summary}`}
      >
        {SEGMENTS.map(({ key }) =>
          progress[key] > 0 && progress.total > 0 ? <span key={key} class={`segment segment-${key}`} style={{ width: `${(progress[key] / progress.total) * 100}%` }} /> : null,
        )}
      </div>
      <p class="legend" aria-hidden="true">
        <strong>{percent(progress.finishedFraction)}</strong> of {progress.total}
        {SEGMENTS.map(({ key, label }) =>
          progress[key] > 0 ? (
            <span key={key} class="legend-item">
              <span class={`swatch segment-${key}`} />
              {progress[key]} {label}
            </span>
          ) : null,
        )}
      </p>
    </div>
  );
}
