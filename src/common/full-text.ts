/**
 * Full-text search's query, shared by search and the catalogue: the words
 * under each language's configuration (migration 1796400000000-Search:
 * unaccent, then the stemmer) and simple, OR-ed, so a Spanish query finds
 * Spanish stems whatever the reader's language. Bound to the named parameter `:q`.
 */
export const TSQUERY_SQL = `(websearch_to_tsquery('public.agora_english', :q) || websearch_to_tsquery('public.agora_spanish', :q)
  || websearch_to_tsquery('public.agora_french', :q) || websearch_to_tsquery('public.agora_simple', :q))`;
