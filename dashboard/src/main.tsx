import { render } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { DashboardAccessDocument, type DashboardAccessQuery } from '../generated/graphql';
import { request, tokenStore, type ApiError } from './api';
import { BatchDetail } from './components/BatchDetail';
import { BatchList } from './components/BatchList';
import { Notice } from './components/common';
import { TokenGate } from './components/TokenGate';
import { describeError } from './errors';
import { NEW_BATCH_HREF, useRoute } from './hooks';
import { NewBatch } from './components/NewBatch';
import './styles.css';

type Viewer = DashboardAccessQuery['batchAccess'];

/** Who is signed in and what they may do; the scopes come from the API, not from reading the token. */
function ViewerBar({ viewer, onSignOut }: { viewer: Viewer; onSignOut: () => void }) {
  return (
    <header class="topbar">
      <a class="brand" href="#/">
        outbound-graph
      </a>
      <span class="viewer" aria-label="Access">
        {viewer.authenticated ? (
          <>
            Signed in{viewer.subject ? ` as ${viewer.subject}` : ''} · scopes: <span class="scopes">{viewer.scopes.join(', ') || 'none'}</span>{' '}
            <button type="button" class="link" onClick={onSignOut}>
              Sign out
            </button>
          </>
        ) : (
          <>
            Open access (no sign-in on this server) · scopes: <span class="scopes">{viewer.scopes.join(', ')}</span>
          </>
        )}
      </span>
      {viewer.canWrite ? <a href={NEW_BATCH_HREF}>New batch</a> : null}
      <a href="/graphql">GraphiQL</a>
    </header>
  );
}

function App() {
  const route = useRoute();
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [signIn, setSignIn] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    request(DashboardAccessDocument, {}).then(
      (answer) => {
        setViewer(answer.data.batchAccess);
        setSignIn(null);
        setFailure(null);
      },
      (error: ApiError) => {
        if (error.code === 'UNAUTHENTICATED') setSignIn(error.message);
        else setFailure(describeError(error));
      },
    );
  }, [attempt]);

  const onAuthError = useCallback((error: ApiError) => {
    setViewer(null);
    setSignIn(error.message);
  }, []);

  if (signIn !== null) {
    return (
      <TokenGate
        reason={signIn}
        onToken={(token) => {
          tokenStore.set(token);
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  if (failure) {
    return (
      <main>
        <Notice kind="error">{failure}</Notice>
        <button type="button" onClick={() => setAttempt((n) => n + 1)}>
          Try again
        </button>
      </main>
    );
  }
  if (!viewer) return <p class="loading">Loading…</p>;
  return (
    <>
      <ViewerBar
        viewer={viewer}
        onSignOut={() => {
          tokenStore.set(null);
          setViewer(null);
          setAttempt((n) => n + 1);
        }}
      />
      {!viewer.canRead ? (
        <main>
          <Notice kind="error">This token lacks the batches:read scope, so there is nothing it may see.</Notice>
        </main>
      ) : route.newBatch ? (
        viewer.canWrite ? (
          <NewBatch onAuthError={onAuthError} />
        ) : (
          <main>
            <Notice kind="error">This token lacks the batches:write scope, so it may not create batches.</Notice>
          </main>
        )
      ) : route.batchId ? (
        <BatchDetail key={route.batchId} id={route.batchId} canWrite={viewer.canWrite} onAuthError={onAuthError} />
      ) : (
        <BatchList params={route.params} onAuthError={onAuthError} />
      )}
    </>
  );
}

render(<App />, document.getElementById('app')!);
