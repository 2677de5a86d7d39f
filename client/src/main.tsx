import { render } from 'preact';
import { loadAccount } from './account/account.js';
import { App } from './app.js';
import { interceptLinks } from './router.js';
import './styles.css';

const root = document.getElementById('app')!;
interceptLinks(document.body);
// Language and account first, so the first paint is already in the reader's language.
loadAccount().finally(() => {
  root.textContent = '';
  render(<App />, root);
});
