import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { renderLayout } from '../../server/mail/templates/layout';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/rappel');

describe('SMTP_URL and MAIL_FROM', () => {
  it('turns mail on with both, and keeps it off with neither (or empty ones)', () => {
    expect(
      load({
        SMTP_URL: 'smtps://user:pw@mail.example.com:465',
        MAIL_FROM: 'Rappel <r@example.com>',
      }).smtp,
    ).toEqual({ url: 'smtps://user:pw@mail.example.com:465', from: 'Rappel <r@example.com>' });
    expect(load({}).smtp).toBeUndefined();
    expect(load({ SMTP_URL: '', MAIL_FROM: '' }).smtp).toBeUndefined();
  });

  it.each([
    [{ SMTP_URL: 'smtp://localhost:25' }, /MAIL_FROM: required with SMTP_URL/],
    [{ MAIL_FROM: 'r@example.com' }, /SMTP_URL: required with MAIL_FROM/],
    [
      { SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'r@example.com' },
      /SMTP_URL: must be an smtp/,
    ],
    [
      { SMTP_URL: 'smtp://localhost', MAIL_FROM: 'not an address' },
      /MAIL_FROM: must be an address/,
    ],
  ])('stops start-up with a message naming the variable: %o', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });
});

describe('the mail layout', () => {
  const input = {
    locale: 'en' as const,
    orgName: 'Acme & <Co>',
    title: 'Hello "you"',
    paragraphs: ['<script>alert(1)</script>', 'Second'],
    action: { label: 'Open', url: 'https://rappel.example.com/o/1?a=1&b=2' },
    footer: 'Footer',
    unsubscribeUrl: 'https://rappel.example.com/api/unsubscribe/t.s',
  };

  it('escapes every value and keeps the text part readable', () => {
    const { text, html } = renderLayout(input);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(
      '<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3">Hello &quot;you&quot;</h1>',
    );
    expect(html).toContain('Acme &amp; &lt;Co&gt; · Rappel');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    expect(html).toContain('href="https://rappel.example.com/o/1?a=1&amp;b=2"');
    expect(html).toContain('href="https://rappel.example.com/api/unsubscribe/t.s"');
    expect(text).toBe(
      [
        'Acme & <Co> · Rappel',
        '',
        'Hello "you"',
        '',
        '<script>alert(1)</script>',
        '',
        'Second',
        '',
        'Open: https://rappel.example.com/o/1?a=1&b=2',
        '',
        '-- ',
        'Footer',
        'Stop these messages: https://rappel.example.com/api/unsubscribe/t.s',
      ].join('\n'),
    );
  });

  it('puts only web addresses into links', () => {
    expect(() =>
      renderLayout({ ...input, action: { label: 'x', url: 'javascript:alert(1)' } }),
    ).toThrow(/Not a web address/);
  });

  it('writes French with its spacing', () => {
    const { text } = renderLayout({ ...input, locale: 'fr', unsubscribeUrl: null });
    expect(text).toContain('Open\u00a0: https://rappel.example.com/o/1?a=1&b=2');
    expect(text).not.toContain('Ne plus recevoir');
  });
});
