import type { BatchDetailFragment } from '../../generated/graphql';
import { formatTime } from '../format';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

interface Point {
  readonly at: number;
  readonly remaining: number;
}

/** Targets not yet finished over time, from the batch's progress history, with the ETA ahead. */
export function Burndown({ batch }: { batch: BatchDetailFragment }) {
  const points: Point[] = batch.progressHistory.map((s) => ({ at: new Date(s.at).getTime(), remaining: s.pending + s.inProgress }));
  const current = { at: new Date(batch.fetchedAt).getTime(), remaining: batch.progress.pending + batch.progress.inProgress };
  if (points.length === 0 || current.at > points[points.length - 1]!.at) points.push(current);
  if (batch.progress.total === 0) return <p class="muted">This batch has no targets.</p>;
  if (points.length < 2) {
    return <p class="muted">The burndown chart appears once this batch has been seen to change ({points.length} observation so far).</p>;
  }
  const finishesAt = batch.eta.finishesAt ? new Date(batch.eta.finishesAt).getTime() : null;
  const start = points[0]!.at;
  const end = Math.max(points[points.length - 1]!.at, finishesAt ?? 0);
  const top = Math.max(1, batch.progress.total, ...points.map((p) => p.remaining));
  const x = (at: number) => PAD.left + ((at - start) / Math.max(1, end - start)) * (WIDTH - PAD.left - PAD.right);
  const y = (remaining: number) => PAD.top + (1 - remaining / top) * (HEIGHT - PAD.top - PAD.bottom);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p.remaining).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]!;
  const first = points[0]!;
  const label = `Burndown: ${first.remaining} targets left at ${formatTime(first.at)}, ${last.remaining} at ${formatTime(last.at)}${finishesAt ? `, none expected by ${formatTime(finishesAt)}` : ''}.`;
  return (
    <figure class="burndown-figure">
    <svg class="burndown" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line class="axis" x1={PAD.left} y1={y(0)} x2={WIDTH - PAD.right} y2={y(0)} />
      <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} />
      <text class="tick" x={PAD.left - 6} y={y(top) + 4} text-anchor="end">
        {top}
      </text>
      <text class="tick" x={PAD.left - 6} y={y(0)} text-anchor="end">
        0
      </text>
      <text class="tick" x={PAD.left} y={HEIGHT - 8}>
        {formatTime(start)}
      </text>
      <text class="tick" x={WIDTH - PAD.right} y={HEIGHT - 8} text-anchor="end">
        {formatTime(end)}
      </text>
      <path class="burndown-line" d={line} />
      {finishesAt && finishesAt > last.at ? <line class="burndown-eta" x1={x(last.at)} y1={y(last.remaining)} x2={x(finishesAt)} y2={y(0)} /> : null}
      {points.map((p) => (
        <circle key={p.at} class="burndown-point" cx={x(p.at)} cy={y(p.remaining)} r={2.5} />
      ))}
    </svg>
      <figcaption class="muted">Targets not yet finished (pending and in progress), as each vendor answer showed them; dashed, the estimate to the finish.</figcaption>
    </figure>
  );
}
