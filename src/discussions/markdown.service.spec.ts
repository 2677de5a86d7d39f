import { describe, expect, it } from '@jest/globals';
import { MarkdownService, sanitizeRenderedHtml } from './markdown.service.js';

const md = new MarkdownService();

/**
 * No executable or foreign-scheme content survives. The output escapes every
 * `<` of text as `&lt;`, so each real tag is a `<...>` run: inspect those.
 */
function expectInert(html: string): void {
  const tags = html.match(/<[^>]*>/g) ?? [];
  for (const tag of tags) {
    expect(tag).toMatch(/^<\/?(p|br|hr|h[3-6]|blockquote|pre|code|em|strong|s|ul|ol|li|a|img|span|table|thead|tbody|tr|th|td)[\s/>]/);
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    for (const [, value] of tag.matchAll(/\s(?:href|src)="([^"]*)"/g)) expect(value).toMatch(/^(https?:\/\/|mailto:)/);
  }
}

describe('markdown rendering', () => {
  it('renders ordinary markdown', () => {
    expect(md.render('Hello **world**, *all* of `you`')).toBe('<p>Hello <strong>world</strong>, <em>all</em> of <code>you</code></p>');
    expect(md.render('- one\n- two')).toBe('<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
    expect(md.render('3. three\n4. four')).toContain('<ol start="3">');
    expect(md.render('> quoted')).toBe('<blockquote>\n<p>quoted</p>\n</blockquote>');
    expect(md.render('~~gone~~')).toBe('<p><s>gone</s></p>');
    expect(md.render('line one\nline two')).toBe('<p>line one<br />\nline two</p>');
  });

  it('keeps code blocks with their language class', () => {
    expect(md.render('```ts\nconst a = 1 < 2;\n```')).toBe('<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>');
  });

  it('keeps tables with their alignment only', () => {
    const html = md.render('| a | b |\n|:-:|--:|\n| 1 | 2 |');
    expect(html).toContain('<th style="text-align:center">a</th>');
    expect(html).toContain('<td style="text-align:right">2</td>');
  });

  it('moves headings down two levels, under the page\'s own', () => {
    expect(md.render('# Big\n\n## Less\n\n#### Small')).toBe('<h3>Big</h3>\n<h4>Less</h4>\n<h6>Small</h6>');
  });

  it('marks links nofollow ugc noopener, and autolinks bare URLs', () => {
    expect(md.render('[site](https://example.org/a?b=1 "Title")')).toBe(
      '<p><a href="https://example.org/a?b=1" title="Title" rel="nofollow ugc noopener">site</a></p>',
    );
    expect(md.render('see https://example.org')).toBe(
      '<p>see <a href="https://example.org" rel="nofollow ugc noopener">https://example.org</a></p>',
    );
    expect(md.render('[mail](mailto:ana@example.org)')).toContain('href="mailto:ana@example.org" rel="nofollow ugc noopener"');
  });

  it('keeps https images, lazy and without a referrer', () => {
    expect(md.render('![map](https://example.org/map.png)')).toBe(
      '<p><img src="https://example.org/map.png" alt="map" loading="lazy" referrerpolicy="no-referrer" /></p>',
    );
  });

  it('drops images that are not https', () => {
    for (const src of ['http://example.org/a.png', 'data:image/png;base64,iVBORw0KGgo=', '/api/health', '//evil.example/a.png', 'javascript:alert(1)']) {
      const html = md.render(`before ![x](${src}) after`);
      expect(html).not.toContain('<img');
      expectInert(html);
    }
  });

  it('turns links with other schemes or relative targets into plain text', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'file:///etc/passwd', '/relative', '//evil.example']) {
      const html = md.render(`[click](${href})`);
      expect(html).not.toContain('<a');
      expectInert(html);
    }
    expect(md.render('<javascript:alert(1)>')).not.toContain('<a');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['an img onerror', '<img src=x onerror="alert(1)">'],
    ['an svg onload', '<svg onload=alert(1)></svg>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['a style tag', '<style>body{display:none}</style>'],
    ['an inline handler', '<a href="https://x.example" onclick="alert(1)">x</a>'],
    ['a javascript link in html', '<a href="javascript:alert(1)">x</a>'],
    ['an html comment trick', '<!--><script>alert(1)</script>-->'],
    ['a form', '<form action="https://evil.example"><input name=a></form>'],
  ])('shows raw HTML (%s) as text', (_name, source) => {
    const html = md.render(source);
    expectInert(html);
    expect(html).toContain('&lt;');
  });

  it('does not let markdown attributes break out of their quotes', () => {
    const html = md.render('[x](https://example.org/"onmouseover="alert(1)) ![y](https://example.org/a.png"onerror="alert(1))');
    expectInert(html);
  });
});

describe('the sanitiser (second wall), on raw HTML', () => {
  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<p onclick="alert(1)">hi</p>', '<p>hi</p>'],
    ['<img src="x" onerror="alert(1)">', ''],
    ['<img src="https://example.org/a.png" onerror="alert(1)">', '<img src="https://example.org/a.png" alt="" loading="lazy" referrerpolicy="no-referrer" />'],
    ['<img src="data:image/svg+xml;base64,PHN2Zz4=">', ''],
    ['<a href="javascript:alert(1)">x</a>', '<span>x</span>'],
    ['<a href=" javascript:alert(1)">x</a>', '<span>x</span>'],
    ['<a href="java&#x09;script:alert(1)">x</a>', '<span>x</span>'],
    ['<a href="https://example.org" target="_blank" rel="opener">x</a>', '<a href="https://example.org" rel="nofollow ugc noopener">x</a>'],
    ['<iframe src="https://example.org"></iframe>after', 'after'],
    ['<div style="position:fixed"><b>x</b></div>', 'x'],
    ['<td style="text-align:left;background:url(javascript:alert(1))">x</td>', '<td style="text-align:left">x</td>'],
    ['<code class="language-js evil">x</code>', '<code class="language-js">x</code>'],
    ['<h1>title</h1>', '<h3>title</h3>'],
  ])('%s → %s', (input, output) => {
    expect(sanitizeRenderedHtml(input)).toBe(output);
  });

  it('keeps table cell alignment but no other style', () => {
    expect(sanitizeRenderedHtml('<table><tbody><tr><td style="text-align:left;color:red">x</td></tr></tbody></table>')).toBe(
      '<table><tbody><tr><td style="text-align:left">x</td></tr></tbody></table>',
    );
  });
});
