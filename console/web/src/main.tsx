import { render } from 'preact';
import './console.css';
import { useEffect, useState } from 'preact/hooks';
import { api, rememberCsrfToken } from './api.ts';
import { InstructorView } from './instructor-view.tsx';
import { LargeTypeToggle } from './large-type.tsx';
import { OperatorView } from './operator-view.tsx';
import { SignIn } from './sign-in.tsx';
import { TraineeView } from './trainee-view.tsx';

export interface SessionView {
  caller: { role: string; actor: string; team: string | null; trainee: string | null };
  expiresAt: string;
  csrfToken: string;
}

/** One page: the sign-in form, or the view of the signed-in person's role. */
function Console() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const signedIn = (s: SessionView | null) => {
    if (s) rememberCsrfToken(s.csrfToken);
    setSession(s);
  };
  useEffect(() => {
    api<SessionView>('GET', '/console/session').then(signedIn, () => signedIn(null));
  }, []);
  if (session === undefined) return <p>Loading the console…</p>;
  if (session === null) return <SignIn onSignedIn={signedIn} />;
  const signOut = () => api('POST', '/console/sign-out').finally(() => signedIn(null));
  return (
    <>
      <header>
        <h1>Firedrill console</h1>
        <p>
          Signed in as <strong>{session.caller.actor}</strong>
          {session.caller.team ? ` (team ${session.caller.team})` : ''}{' '}
          <button type="button" onClick={signOut}>
            Sign out
          </button>{' '}
          <LargeTypeToggle />
        </p>
      </header>
      {session.caller.role === 'instructor' ? <InstructorView /> : session.caller.role === 'operator' ? <OperatorView /> : <TraineeView />}
    </>
  );
}

render(<Console />, document.getElementById('app')!);
