import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Article Markdown → safe HTML. Label names found in the prose become links to their label page
 * (on marked's tokens: only plain text, never inside a link, code or raw HTML), and the HTML is
 * sanitised last, whatever the Markdown contained.
 */

export interface LinkableLabel {
  slug: string;
  name: string;
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'blockquote',
    'ul',
    'ol',
    'li',
    'strong',
    'em',
    'del',
    'code',
    'pre',
    'a',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'abbr',
    'sup',
    'sub',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    abbr: ['title'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An h1 in an article would compete with the page's title.
  transformTags: { h1: 'h2' },
};

function sanitizeArticleHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Cyber-base" also matches "Cyber-bases", "cyberbases", "cyber_base"; whole words, any case. */
function labelPattern(name: string): RegExp {
  const body = name
    .trim()
    .split(/[-_\s]+/)
    .map(escapeRegExp)
    .join('[-_\\s]?');
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}s?(?![\\p{L}\\p{N}])`, 'iu');
}

interface Matcher {
  label: LinkableLabel;
  pattern: RegExp;
}

function matchersFor(labels: LinkableLabel[]): Matcher[] {
  return labels
    .filter((label) => label.name.trim().length >= 4)
    .sort((a, b) => b.name.length - a.name.length)
    .map((label) => ({ label, pattern: labelPattern(label.name) }));
}

function textToken(text: string, escaped: boolean): Tokens.Text {
  return { type: 'text', raw: text, text, escaped };
}

/** Splits one text token around the first mention of a label not linked yet. */
function linkInText(token: Tokens.Text, matchers: Matcher[], linked: Set<string>): Token[] {
  let best: { index: number; length: number; matcher: Matcher } | undefined;
  for (const matcher of matchers) {
    if (linked.has(matcher.label.slug)) continue;
    const match = matcher.pattern.exec(token.text);
    if (match && (!best || match.index < best.index)) best = { index: match.index, length: match[0].length, matcher };
  }
  if (!best) return [token];
  linked.add(best.matcher.label.slug);
  const escaped = Boolean(token.escaped);
  const before = token.text.slice(0, best.index);
  const found = token.text.slice(best.index, best.index + best.length);
  const after = token.text.slice(best.index + best.length);
  const link: Tokens.Link = {
    type: 'link',
    raw: found,
    href: `/labels/${best.matcher.label.slug}`,
    title: null,
    text: found,
    tokens: [textToken(found, escaped)],
  };
  return [
    ...(before ? [textToken(before, escaped)] : []),
    link,
    ...(after ? linkInText(textToken(after, escaped), matchers, linked) : []),
  ];
}

const SKIPPED = new Set(['link', 'code', 'codespan', 'html', 'heading', 'image']);

function linkInline(tokens: Token[], matchers: Matcher[], linked: Set<string>): Token[] {
  const out: Token[] = [];
  let openRawLinks = 0; // inside <a …>…</a> written as raw HTML
  for (const token of tokens) {
    if (token.type === 'html') {
      const raw = (token as Tokens.HTML).raw;
      openRawLinks += (raw.match(/<a[\s>]/gi) ?? []).length - (raw.match(/<\/a\s*>/gi) ?? []).length;
      if (openRawLinks < 0) openRawLinks = 0;
      out.push(token);
      continue;
    }
    if (openRawLinks > 0 || SKIPPED.has(token.type)) {
      out.push(token);
      continue;
    }
    if (token.type === 'text' && !('tokens' in token && token.tokens)) {
      out.push(...linkInText(token as Tokens.Text, matchers, linked));
      continue;
    }
    walk(token, matchers, linked);
    out.push(token);
  }
  return out;
}

function walk(token: Token, matchers: Matcher[], linked: Set<string>): void {
  if (SKIPPED.has(token.type)) return;
  if (token.type === 'list') {
    for (const item of (token as Tokens.List).items) walk(item, matchers, linked);
    return;
  }
  if (token.type === 'table') return;
  const withChildren = token as { tokens?: Token[] };
  if (withChildren.tokens) withChildren.tokens = linkInline(withChildren.tokens, matchers, linked);
}

export function renderArticleHtml(markdown: string, labels: LinkableLabel[] = []): string {
  const tokens = marked.lexer(markdown);
  const matchers = matchersFor(labels);
  if (matchers.length) {
    const linked = new Set<string>();
    for (const token of tokens) walk(token, matchers, linked);
  }
  return sanitizeArticleHtml(marked.parser(tokens));
}

/** The text without any markup (search snippets, excerpts, meta descriptions). */
function markdownToPlainText(markdown: string): string {
  const html = marked.parse(markdown) as string;
  const text = sanitizeHtml(html.replace(/<\/(p|h\d|li|blockquote)>/g, '</$1> '), {
    allowedTags: [],
    allowedAttributes: {},
  });
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&amp;/g, '&');
}

/** The first paragraph(s) of prose, cut on a word boundary. Headings are left out. */
export function excerptOf(markdown: string, maxLength = 320): string {
  const paragraphs = markdown
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block && !block.startsWith('#'));
  const text = markdownToPlainText(paragraphs.slice(0, 2).join('\n\n'));
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(' ');
  return `${cut.slice(0, lastSpace > maxLength / 2 ? lastSpace : maxLength).replace(/[\s,;:.…]+$/, '')} …`;
}
