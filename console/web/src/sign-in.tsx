import { useState } from 'preact/hooks';
import { api } from './api.ts';
import type { SessionView } from './main.tsx';

/** A token in, a session cookie out; the token is not kept by the page. */
export function SignIn(props: { onSignedIn: (s: SessionView) => void }) {
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const token = (new FormData(form).get('token') as string).trim();
    try {
      props.onSignedIn(await api<SessionView>('POST', '/console/sign-in', { token }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
      <h1>Firedrill console</h1>
      <label for="token">Your lab token (instructor, operator or your own trainee token)</label>
      <input id="token" name="token" type="password" autocomplete="off" required />
      <button type="submit">Sign in</button>
      {error && (
        <p id="sign-in-error" role="alert">
          Sign-in failed: {error}
        </p>
      )}
    </form>
  );
}
