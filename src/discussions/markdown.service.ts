import { Injectable } from '@nestjs/common';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown in, safe HTML out, in two walls (single newlines become <br>:
 * people write forum posts line by line, as on Discourse and GitHub):
 *  1. markdown-it with raw HTML off: `<script>` typed by a member is text;
 *  2. sanitize-html with an allowlist, in case a markdown-it rule (or a
 *     future plugin) ever emits something it shouldn't.
 *
 * Rules of the second wall: only the tags markdown produces; links only to
 * http(s) and mailto, always rel="nofollow ugc noopener"; images only over
 * https, lazy and without a referrer (anything else is dropped, alt text
 * included); code blocks may keep a `language-*` class; table cells may keep
 * their text-align; headings move down two levels (a reply's `# Title`
 * becomes <h3>) so they sit under the forum's and the question's headings.
 */

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

const LINK = /^(?:https?:\/\/|mailto:)/i;
const IMAGE = /^https:\/\//i;
const HEADING_SHIFT: Record<string, string> = { h1: 'h3', h2: 'h4', h3: 'h5', h4: 'h6', h5: 'h6', h6: 'h6' };
const ALIGN = [/^(?:left|right|center)$/];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'em', 'strong', 's',
    'ul', 'ol', 'li', 'a', 'img', 'span', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'loading', 'referrerpolicy'],
    ol: ['start'],
    code: ['class'],
    th: ['style'],
    td: ['style'],
  },
  allowedClasses: { code: ['language-*'] },
  allowedStyles: { th: { 'text-align': ALIGN }, td: { 'text-align': ALIGN } },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    ...Object.fromEntries(Object.entries(HEADING_SHIFT).map(([from, to]) => [from, () => ({ tagName: to, attribs: {} })])),
    // A link that isn't http(s)/mailto (javascript:, data:, relative...) keeps its text but stops being a link.
    a: (_tag, attribs) =>
      LINK.test(attribs.href ?? '')
        ? { tagName: 'a', attribs: { href: attribs.href!, ...(attribs.title ? { title: attribs.title } : {}), rel: 'nofollow ugc noopener' } }
        : { tagName: 'span', attribs: {} },
    img: (_tag, attribs) => ({
      tagName: 'img',
      attribs: IMAGE.test(attribs.src ?? '')
        ? { src: attribs.src!, alt: attribs.alt ?? '', ...(attribs.title ? { title: attribs.title } : {}), loading: 'lazy', referrerpolicy: 'no-referrer' }
        : {},
    }),
  },
  // An image whose source was refused is dropped whole.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

/** The second wall on its own: any HTML in, only the allowlist out. */
export function sanitizeRenderedHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE).trim();
}

@Injectable()
export class MarkdownService {
  /** Sanitised HTML for a markdown source. Pure: the same source always gives the same HTML. */
  render(source: string): string {
    return sanitizeRenderedHtml(markdown.render(source));
  }
}
