import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { renderArticleHtml } from '../../../server/articles/markdown.js';
import { createTestContext } from '../../support/context.js';
import { makeArticle, uniqueSlug } from './article-factory.js';

// Markdown and raw HTML an author could paste, each meant to run script in a reader's browser.
const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="javascript:alert(1)">',
  '<svg onload=alert(1)><circle r="1"/></svg>',
  '<a href="javascript:alert(1)">clic</a>',
  '<a href="JaVaScRiPt:alert(1)">clic</a>',
  '<a href="&#106;avascript:alert(1)">entité</a>',
  '<a href="java\tscript:alert(1)">tab</a>',
  '[lien](javascript:alert(1))',
  '[lien](JAVASCRIPT:alert(document.cookie))',
  '[lien](&#x6A;avascript:alert(1))',
  '[lien](vbscript:msgbox(1))',
  '[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![image](javascript:alert(1))',
  '![x](x" onerror="alert(1))',
  '[a](https://ok.example "titre\\" onmouseover=\\"alert(1))',
  '<iframe src="https://evil.example"></iframe>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<form action="https://evil.example"><button>Envoyer</button></form>',
  '<div style="background:url(javascript:alert(1))" onclick="alert(1)">div</div>',
  '<p onmouseover="alert(1)">survol</p>',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<a href="https://ok.example" onclick="alert(1)">mixte</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '`<script>alert(1)</script>` et ```\n<script>alert(1)</script>\n```',
  '<<script>script>alert(1)<</script>/script>',
  '<img src="x" alt="NetPublic" onerror="alert(1)"> NetPublic',
];

/** Active HTML: a script or embedding element, an event attribute, or a script URL anywhere in a tag. */
function activeHtml(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    const name = /^<([a-z0-9]+)/i.exec(tag)![1].toLowerCase();
    if (
      [
        'script',
        'iframe',
        'object',
        'embed',
        'svg',
        'math',
        'form',
        'style',
        'link',
        'meta',
        'base',
        'body',
        'details',
        'noscript',
      ].includes(name)
    )
      found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag)) found.push(tag);
    if (/\s(href|src|action|data|style)\s*=\s*["']?\s*(javascript|vbscript|data):/i.test(tag)) found.push(tag);
    if (/\sstyle\s*=/i.test(tag)) found.push(tag);
  }
  return found;
}

describe('sanitising what administrators write', () => {
  const { app, db } = createTestContext();

  it.each(XSS_CORPUS)('when the Markdown contains %j, then it never reaches the HTML as active content', (payload) => {
    const html = renderArticleHtml(`Avant.\n\n${payload}\n\nAprès NetPublic.`, [
      { slug: 'netpublic', name: 'NetPublic' },
    ]);
    expect(activeHtml(html)).toEqual([]);
  });

  it('when the whole corpus is published as one article, then its body carries no active HTML', async () => {
    const slug = uniqueSlug('xss');
    await makeArticle(db, { slug, body_markdown: XSS_CORPUS.join('\n\n') });
    const res = await request(app).get(`/articles/${slug}`);
    expect(res.status).toBe(200);
    const body = /<div class="prose article-body">([\s\S]*?)<\/div>\s*(<p class="article-teaser-note"|<footer)/.exec(
      res.text,
    )![1];
    expect(activeHtml(body)).toEqual([]);
    expect(res.text).not.toMatch(/<script(?![^>]*type="application\/json")/i);
    const api = await request(app).get(`/api/v1/articles/${slug}`);
    expect(activeHtml(api.body.body_html)).toEqual([]);
  });

  it('when the Markdown is ordinary, then headings, emphasis, lists and safe links are kept', () => {
    const html = renderArticleHtml(
      '## Titre\n\n*italique* et **gras**\n\n- un\n- deux\n\n[site](https://exemple.fr) [mail](mailto:a@b.fr)',
    );
    expect(html).toContain('<h2>Titre</h2>');
    expect(html).toContain('<em>italique</em>');
    expect(html).toContain('<strong>gras</strong>');
    expect(html).toContain('<li>un</li>');
    expect(html).toContain('<a href="https://exemple.fr">site</a>');
    expect(html).toContain('<a href="mailto:a@b.fr">mail</a>');
  });

  const whenLabelNamedText =
    'when a label is named in the text, ' +
    'then its first mention links to the label page, but never inside a link, code or heading';
  it(whenLabelNamedText, () => {
    const labels = [
      { slug: 'cyber-base', name: 'Cyber-base' },
      { slug: 'netpublic', name: 'NetPublic' },
    ];
    const html = renderArticleHtml(
      [
        '## NetPublic en titre',
        '[NetPublic déjà lié](https://netpublic.example) et `NetPublic` en code.',
        'Les cyberbases et le label NetPublic. Encore NetPublic.',
        '<a href="https://x.example">Cyber-base brut</a>',
      ].join('\n\n'),
      labels,
    );
    expect(html).toContain('<h2>NetPublic en titre</h2>');
    expect(html).toContain('<a href="https://netpublic.example">NetPublic déjà lié</a>');
    expect(html).toContain('<code>NetPublic</code>');
    expect(html).toContain(
      'Les <a href="/labels/cyber-base">cyberbases</a> ' +
        'et le label <a href="/labels/netpublic">NetPublic</a>. Encore NetPublic.',
    );
    expect(html).toContain('<a href="https://x.example">Cyber-base brut</a>');
    expect(html.match(/<a /g)).toHaveLength(4);
  });

  it('when a label name is only part of a word, then it is not linked', () => {
    const html = renderArticleHtml('Les NetPublicistes ne comptent pas.', [{ slug: 'netpublic', name: 'NetPublic' }]);
    expect(html).not.toContain('/labels/');
  });
});
