import { describe, expect, it } from 'vitest';
import { safeNext } from '../../web/lib/safe-next';

describe('safeNext: only a path on this site may follow a login', () => {
  const refused = [
    ['nothing', ''],
    ['protocol-relative', '//evil.example/x'],
    ['tab (what /%09/evil.example decodes to)', '/\t/evil.example/x'],
    ['newline', '/\n/evil.example/x'],
    ['carriage return', '/\r/evil.example'],
    ['backslash', '/\\evil.example'],
    ['two backslashes', '/\\\\evil.example'],
    ['slash and backslash', '\\/evil.example'],
    ['dot segments that end in //', '/..//evil.example'],
    ['dot segment then //', '/.//evil.example/x'],
    ['absolute https', 'https://evil.example'],
    ['absolute with our path', 'https://evil.example/login'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['no leading slash', 'evil.example'],
    ['leading space', ' //evil.example'],
    ['userinfo trick', '//rappel.invalid@evil.example'],
  ] as const;
  it.each(refused)('refuses %s', (_name, value) => {
    expect(safeNext(value)).toBeNull();
  });

  const kept = [
    ['the root', '/', '/'],
    ['a page', '/o/123/people', '/o/123/people'],
    ['query and fragment', '/o/1/learn?tab=today#card', '/o/1/learn?tab=today#card'],
    ['encoded slashes stay a path', '/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['encoded tab stays a path', '/%09/evil.example/x', '/%09/evil.example/x'],
    ['a colon in the path', '/javascript:alert(1)', '/javascript:alert(1)'],
    ['dot segments that stay here', '/o/1/../2', '/o/2'],
  ] as const;
  it.each(kept)('keeps %s', (_name, value, expected) => {
    expect(safeNext(value)).toBe(expected);
  });

  it('whatever it keeps, a browser resolves to this origin', () => {
    for (const [, value] of [...refused, ...kept]) {
      const next = safeNext(value);
      if (next !== null) {
        expect(new URL(next, 'https://app.example').origin).toBe('https://app.example');
      }
    }
  });
});
