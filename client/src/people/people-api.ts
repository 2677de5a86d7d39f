import { answer, api, type Schemas } from '../api/client.js';
import type { operations } from '../generated/api.js';

/** Search, profiles and the account settings' calls over HTTP (server: src/search/, src/people/, src/auth/). */

export type SearchKind = Schemas['SearchHitView']['kind'];
export const SEARCH_KINDS: SearchKind[] = ['session', 'forum', 'question', 'reply', 'live_question'];
export type SearchHit = Schemas['SearchHitView'];
export type SearchGroup = Schemas['SearchGroupView'];
export type SearchParams = Pick<NonNullable<operations['SearchController_search']['parameters']['query']>, 'q' | 'kind' | 'language' | 'city' | 'from' | 'to' | 'author' | 'cursor'>;
export type PersonReply = Schemas['PersonReplyView'];
export type SignIn = Schemas['LoginSessionView'];

export async function search(params: SearchParams): Promise<SearchGroup[]> {
  return (await answer(api.GET('/api/search', { params: { query: { ...params, limit: params.kind ? 20 : 5 } } }))).groups;
}

export const person = (id: string) => answer(api.GET('/api/people/{id}', { params: { path: { id } } }));
export const personReplies = (id: string, cursor: string) => answer(api.GET('/api/people/{id}/replies', { params: { path: { id }, query: { cursor } } }));

// ---- the account settings page ----------------------------------------------------------

export const account = {
  update: (change: Schemas['UpdateProfileDto']) => answer(api.PATCH('/api/auth/me', { body: change })),
  changePassword: (currentPassword: string, newPassword: string) => answer(api.POST('/api/auth/password', { body: { currentPassword, newPassword } })),
  /** Uploads an image; the server checks it and stores a re-encoded square. */
  async setAvatar(file: File): Promise<string> {
    const upload = api.PUT('/api/auth/me/avatar', {
      body: { avatar: file },
      bodySerializer: ({ avatar }) => {
        const form = new FormData();
        form.set('avatar', avatar);
        return form;
      },
    });
    return (await answer(upload)).avatarUrl;
  },
  removeAvatar: () => answer(api.DELETE('/api/auth/me/avatar')),
  signIns: () => answer(api.GET('/api/auth/sessions')),
  endSignIn: (id: string) => answer(api.DELETE('/api/auth/sessions/{id}', { params: { path: { id } } })),
  async createToken(label: string): Promise<string> {
    return (await answer(api.POST('/api/auth/tokens', { body: { label } }))).token;
  },
};
