/**
 * The one adapter over `marked` (Markdown → HTML) and `DOMPurify` (HTML → safe HTML), see
 * STYLE.md point 10. Everything a trainer writes goes through `renderMarkdown` before a learner's
 * browser sees it; the rest of the code never imports `marked`, `dompurify` or `jsdom` itself.
 *
 * Safety comes from the sanitiser, not from the Markdown parser: raw HTML in the source is passed
 * on by `marked` and then cut down by DOMPurify to an allowlist of tags, of attributes per tag and
 * of URL schemes. What survives:
 * - blocks: p, h2–h4 (Markdown `#` becomes h2, `#####`/`######` become h4), ul/ol/li, blockquote,
 *   pre/code, table (thead, tbody, tr, th, td), hr;
 * - inline: em, strong, del, code, br, a, img;
 * - links only to http(s) or mailto URLs, rewritten to the URL parser's normal form (so whatever a
 *   browser would make of entities, tabs or odd case is what we checked); every link gets
 *   `rel="noopener noreferrer nofollow"`, web links also `target="_blank"`;
 * - images only from our own API (`/api/…`, same origin: uploaded images). A Markdown image from
 *   another host becomes a plain link to it (its `alt`, or the URL, as the text): showing it
 *   would let that host count who reads which lesson and when (a tracking pixel), and refusing
 *   it would break module files and pasted text that carry such images. The learner may still
 *   follow the link. The web app's Content-Security-Policy (`img-src 'self' data: blob:`) blocks
 *   any such image in HTML stored before this rule.
 * A link or image whose URL is refused keeps its text (or `alt`) and loses the URL. Anything else
 * (script, style, forms, iframes, SVG, MathML, event handlers, `id`/`name`, `style`, `class` other
 * than a code block's `language-x`) is removed.
 *
 * Limits, because a module file can come from anyone and rendering is synchronous CPU work:
 * - input longer than `MARKDOWN_MAX_LENGTH` characters is refused with `MarkdownTooLongError`,
 *   never truncated (cutting a trainer's text silently would lose work);
 * - input that would take the libraries too long is refused with `MarkdownTooComplexError`: more
 *   than `MARKDOWN_MAX_EMPHASIS_MARKS` `*`/`_`/`~` characters (marked's emphasis matching is
 *   quadratic in them, markedjs/marked#4099), nesting that overflows marked's recursion, or HTML
 *   nested deeper than `MAX_DEPTH` or with more than `MAX_ELEMENTS` elements (jsdom's parser is
 *   quadratic in depth). `parse5`, the parser inside jsdom, measures that in linear time first.
 * Both errors are 400 `VALIDATION_FAILED`. Request schemas should cap Markdown fields at
 * `MARKDOWN_MAX_LENGTH` so the error carries the field's path; these checks are the last line.
 */
import { createRequire } from 'node:module';
import createDOMPurify, {
  type Config,
  type DOMPurify,
  type UponSanitizeAttributeHookEvent,
} from 'dompurify';
import { Marked } from 'marked';
import { parse as parseHtml, type DefaultTreeAdapterMap } from 'parse5';
import { MARKDOWN_MAX_LENGTH } from '../../shared/common';
import { ValidationError } from './errors';

export { MARKDOWN_MAX_LENGTH };
/** Most `*`, `_` and `~` characters in one text (see the module comment). */
export const MARKDOWN_MAX_EMPHASIS_MARKS = 2_000;
/** Deepest element nesting and most elements in the rendered HTML. */
const MAX_DEPTH = 48;
const MAX_ELEMENTS = 5_000;

export class MarkdownTooLongError extends ValidationError {
  constructor(
    readonly length: number,
    readonly limit = MARKDOWN_MAX_LENGTH,
  ) {
    super(`Text is too long (${length} characters, at most ${limit}).`, [
      { path: [], message: `At most ${limit} characters.`, code: 'too_big' },
    ]);
    this.name = 'MarkdownTooLongError';
  }
}

export class MarkdownTooComplexError extends ValidationError {
  constructor(readonly reason: string) {
    super(`Text is too complex to display (${reason}).`, [
      { path: [], message: `Too complex to display: ${reason}.`, code: 'too_complex' },
    ]);
    this.name = 'MarkdownTooComplexError';
  }
}

export interface RenderOptions {
  /**
   * One line of inline Markdown (a card's question or option): no paragraphs, headings, lists,
   * tables or images, only emphasis, code, strikethrough, links and line breaks.
   */
  inline?: boolean;
}

/** Renders trainer-written Markdown to HTML that is safe to insert into a learner's page. */
export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  if (source.length > MARKDOWN_MAX_LENGTH) throw new MarkdownTooLongError(source.length);
  const marks = source.match(/[*_~]/g)?.length ?? 0;
  if (marks > MARKDOWN_MAX_EMPHASIS_MARKS) {
    throw new MarkdownTooComplexError(`more than ${MARKDOWN_MAX_EMPHASIS_MARKS} * _ ~ marks`);
  }
  const inline = options.inline ?? false;
  let html: string | Promise<string>;
  try {
    html = inline ? marked.parseInline(source) : marked.parse(source);
  } catch (err) {
    // Only a stack overflow (lists or quotes nested thousands deep) is the input's fault.
    if (err instanceof RangeError) throw new MarkdownTooComplexError('nested too deeply');
    throw err;
  }
  // `async: false` makes both return a string; the check keeps it honest if that ever changes.
  if (typeof html !== 'string') throw new Error('marked returned a promise');
  checkShape(html);
  return sanitizer().sanitize(html, inline ? INLINE_CONFIG : BLOCK_CONFIG);
}

type HtmlNode = DefaultTreeAdapterMap['node'];

/**
 * Refuses HTML whose tree would make jsdom slow. Walks parse5's tree without recursion, through
 * `<template>` contents too (DOMPurify sanitises those, so jsdom builds them).
 */
function checkShape(html: string): void {
  let elements = 0;
  const stack: { node: HtmlNode; depth: number }[] = [{ node: parseHtml(html), depth: 0 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, depth } = item;
    // depth 0 is the document, 1 <html>, 2 <body>: the text's own elements start at 3.
    if (depth - 2 > MAX_DEPTH) throw new MarkdownTooComplexError('nested too deeply');
    if ('tagName' in node && ++elements > MAX_ELEMENTS) {
      throw new MarkdownTooComplexError(`more than ${MAX_ELEMENTS} elements`);
    }
    const children: HtmlNode[] = 'childNodes' in node ? [...node.childNodes] : [];
    if ('content' in node) children.push(node.content);
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown → HTML

const marked = new Marked({
  async: false,
  gfm: true,
  // A trainer who presses Enter once expects a new line, as in a chat or a comment box.
  breaks: true,
  renderer: {
    heading({ tokens, depth }) {
      // The page owns h1; a lesson's headings start at h2 and stop at h4.
      const level = Math.min(Math.max(depth, 2), 4);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
    // GFM task lists would render `<input type="checkbox">`; forms are not allowed, so show a
    // character instead.
    checkbox({ checked }) {
      return checked ? '☑ ' : '☐ ';
    },
    // Only our own images are shown; any other becomes a link (see the module comment). The
    // sanitiser still checks both URLs.
    image({ href, title, text }) {
      if (isOwnImagePath(href)) return false;
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttr}>${escapeHtml(text || href)}</a>`;
    },
  },
});

// ---------------------------------------------------------------------------------------------
// HTML → safe HTML

const INLINE_TAGS = ['em', 'strong', 'del', 'code', 'br', 'a'];
const BLOCK_TAGS = [
  ...INLINE_TAGS,
  'img',
  'p',
  'h2',
  'h3',
  'h4',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

/** Which attribute each tag may keep, and how its value is checked (and normalised). */
const ATTRIBUTES: Record<string, Record<string, (value: string) => string | null>> = {
  a: { href: safeLinkHref, title: keep },
  img: { src: safeImageSrc, alt: keep, title: keep },
  code: { class: (v) => (/^language-[\w+#.-]{1,40}$/.test(v) ? v : null) },
  ol: { start: (v) => (/^\d{1,9}$/.test(v) ? v : null) },
  th: { align: alignment },
  td: { align: alignment },
};
const ALL_ATTRIBUTES = [...new Set(Object.values(ATTRIBUTES).flatMap((a) => Object.keys(a)))];

const COMMON_CONFIG = {
  ALLOWED_ATTR: ALL_ATTRIBUTES,
  ALLOW_ARIA_ATTR: false,
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Our hook has already checked and normalised every URL; this is a second, coarser fence.
  ALLOWED_URI_REGEXP: /^(?:https?:\/\/|mailto:|\/api\/)/i,
  // Attributes DOMPurify should not judge as URLs (it already exempts alt, class and title).
  ADD_URI_SAFE_ATTR: ['align', 'start'],
  KEEP_CONTENT: true,
  SANITIZE_DOM: true,
  RETURN_DOM: false,
  RETURN_DOM_FRAGMENT: false,
  RETURN_TRUSTED_TYPE: false,
} satisfies Config;
const BLOCK_CONFIG = { ...COMMON_CONFIG, ALLOWED_TAGS: BLOCK_TAGS } satisfies Config;
const INLINE_CONFIG = { ...COMMON_CONFIG, ALLOWED_TAGS: INLINE_TAGS } satisfies Config;

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
const WEB_PROTOCOLS = new Set(['http:', 'https:']);
/** A base that can never be a real host, to resolve our own relative `/api/…` image URLs. */
const OWN_ORIGIN = 'https://rappel.invalid';

function keep(value: string): string {
  return value;
}

function alignment(value: string): string | null {
  return ['left', 'center', 'right'].includes(value) ? value : null;
}

/** Parses like a browser does (WHATWG URL), so entities, tabs and case cannot hide a scheme. */
function parseUrl(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    return null;
  }
}

function safeLinkHref(value: string): string | null {
  const url = parseUrl(value);
  return url && LINK_PROTOCOLS.has(url.protocol) ? url.href : null;
}

function isOwnImagePath(value: string): boolean {
  return /^\/api\//.test(value);
}

function safeImageSrc(value: string): string | null {
  if (!isOwnImagePath(value)) return null;
  const url = parseUrl(value, OWN_ORIGIN);
  return url && url.origin === OWN_ORIGIN && url.pathname.startsWith('/api/')
    ? url.pathname + url.search + url.hash
    : null;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

let purify: DOMPurify | undefined;

/**
 * One DOM for the process: DOMPurify parses each input into a fresh document of this window.
 * jsdom is loaded on the first render, not at start-up: it is the heaviest library the server
 * has, and only saving or importing lessons and cards needs it, which most starts do not do for
 * a while. The first of those pays for it once (about half a second).
 */
function sanitizer(): DOMPurify {
  if (purify) return purify;
  const { JSDOM } = createRequire(import.meta.url)('jsdom') as typeof import('jsdom');
  const made = createDOMPurify(
    new JSDOM('').window as unknown as Parameters<typeof createDOMPurify>[0],
  );
  made.addHook('uponSanitizeAttribute', (node: Element, data: UponSanitizeAttributeHookEvent) => {
    const check = ATTRIBUTES[node.nodeName.toLowerCase()]?.[data.attrName];
    const value = check ? check(data.attrValue) : null;
    if (value === null) data.keepAttr = false;
    else data.attrValue = value;
  });
  made.addHook('afterSanitizeAttributes', (node: Element) => {
    if (node.nodeName.toLowerCase() !== 'a') return;
    const href = node.getAttribute('href');
    if (href === null) {
      node.removeAttribute('title');
      return;
    }
    node.setAttribute('rel', 'noopener noreferrer nofollow');
    const url = parseUrl(href);
    if (url && WEB_PROTOCOLS.has(url.protocol)) node.setAttribute('target', '_blank');
  });
  // DOMPurify returns its input unchanged when it finds no usable DOM. Fail closed: no Markdown
  // is ever rendered by a sanitiser that lets this through.
  if (
    !made.isSupported ||
    /onerror|<script/i.test(
      made.sanitize('<img src=x onerror=alert(1)><script>x</script>', BLOCK_CONFIG),
    )
  ) {
    throw new Error('The HTML sanitiser is not working: refusing to render Markdown.');
  }
  return (purify = made);
}
