/** The live Q&A pages, loaded when first opened so the first page stays small. */
export const qaPages = {
  attend: () => import('./LiveQaPage.js').then((m) => m.LiveQaPage),
  moderate: () => import('./LiveQaModeratorPage.js').then((m) => m.LiveQaModeratorPage),
  present: () => import('./PresenterPage.js').then((m) => m.PresenterPage),
  join: () => import('./JoinPage.js').then((m) => m.JoinPage),
};
