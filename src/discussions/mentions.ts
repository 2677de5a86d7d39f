/**
 * An @mention in a reply's markdown, as the client's autocomplete writes it:
 * `@[Ana García](<account id>)`. The name is what readers see; the id is
 * whom it means (names are neither unique nor stable).
 */
const MENTION = /@\[[^\]\n]{1,200}\]\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/gi;

/** At most this many people are told of one reply (a list of 500 names is not a mention). */
export const MAX_MENTIONS = 20;

/** The distinct account ids mentioned in a markdown text, in order of first mention. */
export function mentionedAccountIds(source: string): string[] {
  const ids: string[] = [];
  for (const match of source.matchAll(MENTION)) {
    const id = match[1].toLowerCase();
    if (!ids.includes(id)) ids.push(id);
    if (ids.length === MAX_MENTIONS) break;
  }
  return ids;
}
