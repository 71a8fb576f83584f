import { useState } from 'preact/hooks';

/** Asks for a bearer token when the API needs one; it is kept in this tab's session storage only. */
export function TokenGate({ reason, onToken }: { reason: string; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <main class="narrow">
      <h1>Sign in</h1>
      <p>This API needs an access token: {reason}</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) onToken(token.trim());
        }}
      >
        <label>
          Access token <input type="password" autocomplete="off" spellcheck={false} value={token} onInput={(event) => setToken(event.currentTarget.value)} required />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">The token stays in this browser tab (session storage) and is sent only to this server.</p>
    </main>
  );
}
