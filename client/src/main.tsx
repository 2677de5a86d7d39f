import { render } from 'preact';
import { loadAccount } from './account/account.js';
import { App } from './app.js';
import { interceptLinks, matchRoute } from './router.js';
import { readThreadEarly } from './threads/use-thread.js';
import './styles.css';

const root = document.getElementById('app')!;
interceptLinks(document.body);
// A thread's reads need not wait for the account check (the cookie goes with both).
const route = matchRoute(location.pathname);
if (route.name === 'thread') readThreadEarly(route.forumId, route.questionId);
// Language and account first, so the first paint is already in the reader's language.
loadAccount().finally(() => {
  root.textContent = '';
  render(<App />, root);
});
