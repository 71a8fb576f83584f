import { useEffect, useRef, useState } from 'preact/hooks';
import { DashboardCreateBatchDocument, DashboardLaunchPlacesDocument, type CreateBatchInput, type PreflightFragment, type Vendor } from '../../generated/graphql';
import { newIdempotencyKey, request, upload, type ApiError, type Upload } from '../api';
import { describeError, describeFailure } from '../errors';
import { localInputToIso, VENDOR_LABELS } from '../format';
import { batchHref, useAnswer } from '../hooks';
import { Notice } from './common';
import { Preflight } from './Preflight';

type Message = { kind: 'info' | 'error'; text: string };

const numbersOf = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);

/**
 * "New batch": the vendor and its campaign or agent, a CSV file from disk (sent to POST /uploads
 * and checked there), the check shown before anything is created, the options, then Create. One
 * idempotency key per input: clicking twice, or again after a lost answer, makes one batch.
 */
export function NewBatch({ onAuthError }: { onAuthError: (error: ApiError) => void }) {
  const places = useAnswer(() => request(DashboardLaunchPlacesDocument, {}), [], onAuthError);
  const [vendor, setVendor] = useState<Vendor>('SYLLABLE');
  const [parent, setParent] = useState('');
  const [country, setCountry] = useState('US');
  const [file, setFile] = useState<File | null>(null);
  const [checked, setChecked] = useState<Upload<PreflightFragment> | null>(null);
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [startNow, setStartNow] = useState(true);
  const [expires, setExpires] = useState('');
  const [callRate, setCallRate] = useState('');
  const [callers, setCallers] = useState('');
  const [startAt, setStartAt] = useState('');
  const [retries, setRetries] = useState('0');
  const [intervals, setIntervals] = useState('');
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [busy, setBusy] = useState(false);
  const sending = useRef(false);
  const key = useRef<{ signature: string; key: string } | null>(null);

  const campaigns = places.answer?.data.campaigns ?? [];
  const agents = places.answer?.data.agents ?? [];
  const parents = vendor === 'SYLLABLE' ? campaigns.map((c) => ({ id: c.id, label: `${c.name ?? `Campaign ${c.id}`} (${c.id})` })) : agents.map((a) => ({ id: a.id, label: a.name ?? a.id }));
  useEffect(() => setParent(parents[0]?.id ?? ''), [vendor, places.answer]);

  // The file is checked for the vendor and country chosen: again whenever either changes.
  useEffect(() => {
    if (!file) return;
    let current = true;
    setChecking(true);
    setChecked(null);
    setMessage(null);
    upload<PreflightFragment>(file, vendor, country)
      .then(
        (answer) => current && setChecked(answer),
        (error: ApiError) => {
          if (!current) return;
          if (error.code === 'UNAUTHENTICATED') onAuthError(error);
          setMessage({ kind: 'error', text: `The file was not taken: ${describeError(error)}` });
        },
      )
      .finally(() => current && setChecking(false));
    return () => {
      current = false;
    };
  }, [file, vendor, country]);

  function input(): Omit<CreateBatchInput, 'idempotencyKey'> {
    const common = { vendor, fileName: file?.name ?? null, uploadId: checked?.uploadId ?? null, defaultCountry: country, skipInvalidTargets: skipInvalid };
    if (vendor === 'SYLLABLE') {
      return { ...common, campaignId: parent, paused: !startNow, expiresOn: localInputToIso(expires), callRate: callRate.trim() === '' ? null : Number(callRate) };
    }
    const retryCount = Number(retries) || 0;
    return {
      ...common,
      agentId: parent,
      fromPhoneNumbers: callers.trim() === '' ? null : numbersOf(callers),
      scheduledAt: localInputToIso(startAt),
      retry: retryCount > 0 ? { maxRetries: retryCount, intervalsMinutes: numbersOf(intervals).map(Number) } : null,
    };
  }

  async function create() {
    if (sending.current || !checked) return;
    sending.current = true;
    setBusy(true);
    setMessage(null);
    const fields = input();
    const signature = JSON.stringify(fields);
    if (key.current?.signature !== signature) key.current = { signature, key: newIdempotencyKey() };
    try {
      const { createBatch: outcome } = (await request(DashboardCreateBatchDocument, { input: { ...fields, idempotencyKey: key.current.key } })).data;
      if (outcome.__typename === 'BatchMutationSuccess') {
        location.hash = batchHref(outcome.batch.id);
        return;
      }
      if (outcome.__typename === 'BatchIncompleteError') {
        setMessage({ kind: 'error', text: `${outcome.message} Press "Finish creating" to do it now.` });
      } else if (outcome.__typename === 'WriteOutcomeUnknownError') {
        setMessage({ kind: 'error', text: `${outcome.message} Press Create again: it asks the vendor before creating anything.` });
      } else {
        setMessage({ kind: 'error', text: describeFailure(outcome) });
      }
    } catch (error) {
      setMessage({ kind: 'error', text: describeError(error as ApiError) });
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  const validation = checked?.validation ?? null;
  const blocked = !validation || validation.valid === 0 || (validation.invalid > 0 && !skipInvalid) || !parent;
  const incomplete = message?.text.includes('Finish creating') ?? false;
  return (
    <main class="new-batch">
      <h1>New batch</h1>
      {places.failure ? <Notice kind="error">{places.failure}</Notice> : null}
      <form
        class="launch"
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
      >
        <fieldset>
          <legend>Where</legend>
          <div class="control-row">
            <label>
              Vendor{' '}
              <select value={vendor} onChange={(event) => setVendor(event.currentTarget.value as Vendor)}>
                {Object.entries(VENDOR_LABELS).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {vendor === 'SYLLABLE' ? 'Campaign' : 'Agent'}{' '}
              <select value={parent} onChange={(event) => setParent(event.currentTarget.value)}>
                {parents.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </fieldset>
        <fieldset>
          <legend>Who to call</legend>
          <div class="control-row">
            <label>
              CSV file{' '}
              <input type="file" accept=".csv,text/csv" onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)} />
            </label>
            <label>
              Country of numbers without +code <input type="text" size={3} maxLength={2} value={country} onChange={(event) => setCountry(event.currentTarget.value.toUpperCase())} />
            </label>
          </div>
          <p class="muted">
            A header row; the number in a <code>phone_number</code>, <code>target</code> or <code>contact_number</code> column; an optional <code>reference_id</code>; every other column is a
            variable of the agent's prompt. Up to 100,000 rows.
          </p>
          {checking ? (
            <p class="muted" role="status">
              Checking the list…
            </p>
          ) : null}
          {validation ? <Preflight validation={validation} /> : null}
        </fieldset>
        <fieldset>
          <legend>Options</legend>
          {vendor === 'SYLLABLE' ? (
            <div class="control-row">
              <label class="check">
                <input type="checkbox" checked={startNow} onChange={(event) => setStartNow(event.currentTarget.checked)} /> Start calling once loaded
              </label>
              <label>
                Expires at <input type="datetime-local" value={expires} onInput={(event) => setExpires(event.currentTarget.value)} />
              </label>
              <label>
                Calls per hour <input type="number" min={1} max={3600} step={1} value={callRate} placeholder="campaign's rate" onInput={(event) => setCallRate(event.currentTarget.value)} />
              </label>
            </div>
          ) : (
            <div class="control-row">
              <label>
                Caller numbers <input type="text" value={callers} placeholder="+15555550100, …" onInput={(event) => setCallers(event.currentTarget.value)} />
              </label>
              <label>
                Start at <input type="datetime-local" value={startAt} onInput={(event) => setStartAt(event.currentTarget.value)} />
              </label>
              <label>
                Retries <input type="number" min={0} max={5} step={1} value={retries} onInput={(event) => setRetries(event.currentTarget.value)} />
              </label>
              {Number(retries) > 0 ? (
                <label>
                  Minutes before each retry <input type="text" value={intervals} placeholder="30, 120" onInput={(event) => setIntervals(event.currentTarget.value)} />
                </label>
              ) : null}
            </div>
          )}
          {validation && validation.invalid > 0 ? (
            <label class="check">
              <input type="checkbox" checked={skipInvalid} onChange={(event) => setSkipInvalid(event.currentTarget.checked)} /> Leave out the {validation.invalid} invalid rows
            </label>
          ) : null}
        </fieldset>
        <div class="control-row">
          <button type="submit" disabled={busy || blocked}>
            {incomplete ? 'Finish creating' : `Create batch${validation ? ` of ${validation.valid}` : ''}`}
          </button>
          {busy ? (
            <span class="muted" role="status">
              Creating at {VENDOR_LABELS[vendor]}…
            </span>
          ) : null}
        </div>
      </form>
      {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
    </main>
  );
}
