// A pure single-page app: everything renders in the browser, nothing is prerendered.
export const ssr = false;
export const prerender = false;
