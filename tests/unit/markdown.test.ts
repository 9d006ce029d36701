import { describe, expect, it } from 'vitest';
import {
  MARKDOWN_MAX_EMPHASIS_MARKS,
  MARKDOWN_MAX_LENGTH,
  MarkdownTooComplexError,
  MarkdownTooLongError,
  renderMarkdown,
} from '../../server/lib/markdown';
import { assertSafe, HOSTILE, parse } from '../helpers/xss';

/** The same payload inside each kind of Markdown block a lesson or card may use. */
const CONTEXTS: [string, (payload: string) => string][] = [
  ['alone', (p) => p],
  ['in a list item', (p) => `- ${p}`],
  ['in a quote', (p) => `> ${p}`],
  ['in a heading', (p) => `# ${p}`],
  ['in a table cell', (p) => `| a |\n|---|\n| ${p} |`],
  ['in emphasis', (p) => `*${p}*`],
  ['in link text', (p) => `[${p}](https://ok.example)`],
];

describe('renderMarkdown with hostile input', () => {
  it('has a long list of samples', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(HOSTILE)('renders %j with no script, handler or unsafe URL', (sample) => {
    for (const [, wrap] of CONTEXTS) {
      assertSafe(renderMarkdown(wrap(sample)));
      assertSafe(renderMarkdown(wrap(sample), { inline: true }));
    }
  });

  it('the check itself catches unsafe HTML (a test that cannot fail is a bug)', () => {
    for (const unsafe of [
      '<img src=x onerror=alert(1)>',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="jav&#x61;script:alert(1)">x</a>',
      '<svg></svg>',
      '<p style="color:red">x</p>',
      '<img src="data:image/png;base64,AAAA">',
      '<img src="//evil.example/a.png">',
      '<iframe></iframe>',
      '<h1>x</h1>',
    ]) {
      expect(() => assertSafe(unsafe), unsafe).toThrow();
    }
  });

  it('keeps the text of a refused link and drops only the URL', () => {
    const root = parse(renderMarkdown('[Cliquez ici](javascript:alert(1))'));
    const a = root.querySelector('a');
    expect(a?.textContent).toBe('Cliquez ici');
    expect(a?.hasAttribute('href')).toBe(false);
    expect(a?.hasAttribute('target')).toBe(false);
  });

  it('shows HTML inside code as text', () => {
    const root = parse(renderMarkdown('```html\n<script>alert(1)</script>\n```'));
    expect(root.querySelector('pre code')?.textContent).toBe('<script>alert(1)</script>\n');
  });

  it('forces its own rel and target on links, whatever the source says', () => {
    const root = parse(
      renderMarkdown('<a href="https://ok.example" target="_self" rel="opener">x</a>'),
    );
    const a = root.querySelector('a');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(a?.getAttribute('target')).toBe('_blank');
  });
});

describe('renderMarkdown with what a trainer writes', () => {
  it('renders headings from h2 to h4: h1 is the page title, h5 and h6 become h4', () => {
    const root = parse(renderMarkdown('# Un\n\n## Deux\n\n### Trois\n\n#### Quatre\n\n###### Six'));
    expect([...root.children].map((el) => [el.localName, el.textContent])).toEqual([
      ['h2', 'Un'],
      ['h2', 'Deux'],
      ['h3', 'Trois'],
      ['h4', 'Quatre'],
      ['h4', 'Six'],
    ]);
  });

  it('renders paragraphs, emphasis, strong, strikethrough, inline code and line breaks', () => {
    const html = renderMarkdown(
      'Un *mot* et **un autre** ~~barré~~ `code`\nligne suivante\n\nFin.',
    );
    expect(html).toBe(
      '<p>Un <em>mot</em> et <strong>un autre</strong> <del>barré</del> <code>code</code><br>ligne suivante</p>\n<p>Fin.</p>\n',
    );
  });

  it('renders lists, numbered lists that start anywhere, and task lists without inputs', () => {
    const root = parse(
      renderMarkdown('- un\n- deux\n\n3. trois\n4. quatre\n\n- [ ] à faire\n- [x] fait'),
    );
    expect(root.querySelectorAll('ul > li')).toHaveLength(4);
    expect(root.querySelector('ol')?.getAttribute('start')).toBe('3');
    expect([...root.querySelectorAll('ol > li')].map((li) => li.textContent)).toEqual([
      'trois',
      'quatre',
    ]);
    expect(root.querySelector('input')).toBeNull();
    expect(root.textContent).toContain('☐ à faire');
    expect(root.textContent).toContain('☑ fait');
  });

  it('opens web links in a new tab without handing it our window, and keeps mailto links', () => {
    const root = parse(
      renderMarkdown(
        '[Le CRM](https://crm.example.com/aide "Aide") <https://a.example> contact@acme.example',
      ),
    );
    const [web, auto, mail] = root.querySelectorAll('a');
    expect(web?.getAttribute('href')).toBe('https://crm.example.com/aide');
    expect(web?.getAttribute('title')).toBe('Aide');
    expect(web?.getAttribute('target')).toBe('_blank');
    expect(web?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(auto?.getAttribute('href')).toBe('https://a.example/');
    expect(mail?.getAttribute('href')).toBe('mailto:contact@acme.example');
    expect(mail?.hasAttribute('target')).toBe(false);
    expect(mail?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  });

  it('renders fenced code blocks with their language and escaped content', () => {
    const root = parse(renderMarkdown('```js\nif (a < b && c > d) {}\n```'));
    const code = root.querySelector('pre > code');
    expect(code?.className).toBe('language-js');
    expect(code?.textContent).toBe('if (a < b && c > d) {}\n');
  });

  it('drops a code class that is not a language', () => {
    const root = parse(renderMarkdown('<code class="admin-only hidden">x</code>'));
    expect(root.querySelector('code')?.hasAttribute('class')).toBe(false);
  });

  it('renders tables with their alignment', () => {
    const root = parse(renderMarkdown('| Étape | Durée |\n|:--|--:|\n| Appel | 5 min |'));
    expect([...root.querySelectorAll('th')].map((th) => th.textContent)).toEqual([
      'Étape',
      'Durée',
    ]);
    expect(root.querySelector('th')?.getAttribute('align')).toBe('left');
    expect(root.querySelectorAll('td')[1]?.getAttribute('align')).toBe('right');
  });

  it('renders images from our own API only: one from another host becomes a plain link', () => {
    const root = parse(
      renderMarkdown(
        '![Écran](/api/orgs/1/images/2?v=3) ![Logo](https://cdn.example/logo.png "Le logo") ' +
          '![](https://track.example/p.gif) ![x](ftp://a.example/b.png)',
      ),
    );
    const images = root.querySelectorAll('img');
    expect(images).toHaveLength(1);
    expect(images[0]?.getAttribute('src')).toBe('/api/orgs/1/images/2?v=3');
    expect(images[0]?.getAttribute('alt')).toBe('Écran');
    // Nothing is fetched from another host when the lesson shows; the learner may follow the link.
    const links = [...root.querySelectorAll('a[href]')];
    expect(
      links.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('title')]),
    ).toEqual([
      ['https://cdn.example/logo.png', 'Logo', 'Le logo'],
      ['https://track.example/p.gif', 'https://track.example/p.gif', null],
    ]);
    expect(links[0]?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    // A URL no link may have either keeps only its text.
    expect(root.textContent).toContain('x');
    expect(root.innerHTML).not.toContain('ftp:');
  });

  it('an image tag written as HTML loses a source from another host', () => {
    const root = parse(renderMarkdown('<img src="https://track.example/p.gif" alt="pixel">'));
    expect(root.querySelector('img')?.hasAttribute('src')).toBe(false);
    expect(root.innerHTML).not.toContain('track.example');
  });

  it('renders quotes and rules', () => {
    const root = parse(renderMarkdown('> Astuce : enregistrez souvent.\n\n---'));
    expect(root.querySelector('blockquote > p')?.textContent).toBe('Astuce : enregistrez souvent.');
    expect(root.querySelector('hr')).not.toBeNull();
  });

  it('keeps French text, accents and guillemets as they are', () => {
    const text =
      'Créez l’opportunité « Prospect chaud » — puis cliquez sur « Enregistrer » : c’est tout !';
    expect(parse(renderMarkdown(text)).textContent).toBe(`${text}\n`);
    expect(renderMarkdown('Œuvre, ça, où, naïve, Noël, 20 €')).toBe(
      '<p>Œuvre, ça, où, naïve, Noël, 20 €</p>\n',
    );
  });

  it('lets through the harmless HTML a trainer may paste, and strips the rest to its text', () => {
    expect(renderMarkdown('<strong>Important</strong> <span class="x">texte</span>')).toBe(
      '<p><strong>Important</strong> texte</p>\n',
    );
  });

  it('renders nothing for an empty text', () => {
    expect(renderMarkdown('')).toBe('');
  });
});

describe('renderMarkdown inline (a card question or option)', () => {
  it('keeps emphasis, code and links but no blocks or images', () => {
    const html = renderMarkdown(
      '# Pas un titre\n**Vrai** ou `faux` ? [aide](https://a.example) ![i](https://a.example/i.png)',
      {
        inline: true,
      },
    );
    const root = parse(html);
    expect(root.querySelector('h2, p, img')).toBeNull();
    expect(root.querySelector('strong')?.textContent).toBe('Vrai');
    expect(root.querySelector('code')?.textContent).toBe('faux');
    expect(root.querySelector('a')?.getAttribute('target')).toBe('_blank');
    expect(root.textContent).toContain('# Pas un titre');
  });

  it('strips block HTML to its text', () => {
    expect(renderMarkdown('<p>Un</p><ul><li>deux</li></ul>', { inline: true })).toBe('Undeux');
  });
});

describe('renderMarkdown limits', () => {
  it(`accepts ${MARKDOWN_MAX_LENGTH} characters and refuses one more with a 400 error`, () => {
    const atLimit = 'a'.repeat(MARKDOWN_MAX_LENGTH);
    expect(renderMarkdown(atLimit)).toBe(`<p>${atLimit}</p>\n`);
    const tooLong = () => renderMarkdown(`${atLimit}a`);
    expect(tooLong).toThrow(MarkdownTooLongError);
    try {
      tooLong();
    } catch (err) {
      expect(err).toMatchObject({
        status: 400,
        code: 'VALIDATION_FAILED',
        limit: MARKDOWN_MAX_LENGTH,
      });
    }
  });

  it('refuses more emphasis marks than marked can match quickly', () => {
    expect(() => renderMarkdown('*_a'.repeat(MARKDOWN_MAX_EMPHASIS_MARKS))).toThrow(
      MarkdownTooComplexError,
    );
    expect(() => renderMarkdown('*a* '.repeat(MARKDOWN_MAX_EMPHASIS_MARKS / 2))).not.toThrow();
  });

  it.each([
    ['quotes nested thousands deep', '> '.repeat(9_000)],
    ['lists nested thousands deep', '* '.repeat(9_000)],
    ['HTML nested thousands deep', '<div>'.repeat(3_000)],
    ['templates nested thousands deep', '<template>'.repeat(1_500)],
    ['thousands of elements', '<hr>'.repeat(5_000)],
  ])('refuses %s with a 400 error, quickly', (_name, source) => {
    const started = performance.now();
    expect(() => renderMarkdown(source)).toThrow(MarkdownTooComplexError);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it.each([
    ['emphasis marks', ('*_a'.repeat(666) + ' lorem ipsum'.repeat(2_000)).slice(0, 20_000)],
    ['brackets', '['.repeat(20_000)],
    ['unclosed link destinations', '[a](<'.repeat(4_000)],
    ['angle brackets', '<'.repeat(20_000)],
    ['autolinks', 'https://a.example '.repeat(1_100)],
    [
      'a long realistic lesson',
      '## Titre\n\nUn **mot** et [un lien](https://a.example).\n\n- un\n- deux\n\n'.repeat(250),
    ],
  ])('renders %s at the size limit within a few seconds', (_name, source) => {
    expect(source.length).toBeLessThanOrEqual(MARKDOWN_MAX_LENGTH);
    const started = performance.now();
    const html = renderMarkdown(source);
    expect(performance.now() - started).toBeLessThan(3_000);
    assertSafe(html);
  });
});
