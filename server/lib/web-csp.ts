/**
 * The Content-Security-Policy of the pages the server sends. The web app's policy is written once,
 * in svelte.config.js (`kit.csp`); the build puts it in index.html as a `<meta>` tag with the hash
 * of the one inline script. A `<meta>` policy applies only once the browser has parsed it, so the
 * server sends the same text as a header as well, read from the built file at start-up.
 */

const META = /<meta\s+http-equiv=["']content-security-policy["']\s+content="([^"]*)"\s*\/?>/i;

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&quot;': '"',
  '&#34;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};

/** The policy in a built page's `<meta http-equiv="content-security-policy">`, or undefined. */
export function cspFromHtml(html: string): string | undefined {
  const content = META.exec(html)?.[1];
  return content?.replace(/&(?:amp|quot|#34|#39|lt|gt);/g, (e) => ENTITIES[e]!).trim();
}

/**
 * The API documentation page's policy: @fastify/swagger-ui's own (with the hashes of its inline
 * scripts), less what reaches other hosts (styles and fonts from any https host, images from
 * its online validator, which the page does not use) and less `upgrade-insecure-requests`, which
 * would break the page on a plain-http installation (`http://127.0.0.1:3000`).
 */
export function docsCsp(libraryPolicy: string): string {
  return libraryPolicy
    .replace(/ validator\.swagger\.io/g, '')
    .replace(/ https:(?= |;)/g, '')
    .replace(/\s*upgrade-insecure-requests;?/g, '')
    .replace(/\s+;/g, ';')
    .trim();
}
