import { defineProblems } from '@firedrill/kit';

/** The console's own problem types (the proxied training API answers with its own). */
export const consoleProblems = defineProblems({
  not_signed_in: { status: 401, title: 'Sign in to the console first' },
  session_expired: { status: 401, title: 'Your console session has ended; sign in again' },
  cross_site_request: { status: 403, title: 'A request from another site was refused' },
  csrf_token_missing: { status: 403, title: 'The X-CSRF-Token header is missing or wrong' },
  token_not_recognised: { status: 401, title: 'The training API does not recognise this token' },
  page_not_built: { status: 503, title: 'The console page is not built (npm run build:console)' },
});
