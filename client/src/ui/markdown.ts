import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';

/**
 * The composer's preview: the same markdown-it settings as the server (raw
 * HTML off), then DOMPurify as a second wall. Loaded only when someone opens
 * the preview; what is shown after posting is always the server's HTML.
 */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

export function renderPreview(source: string): string {
  return DOMPurify.sanitize(md.render(source), { USE_PROFILES: { html: true } });
}
