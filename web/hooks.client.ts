import type { ClientInit, HandleClientError } from '@sveltejs/kit';
import { i18n } from '$lib/i18n.svelte';

/** Before the first page renders: the saved language, else the browser's, else French. */
export const init: ClientInit = () => {
  i18n.init();
};

/** Unexpected errors (bugs, not API answers) reach +error.svelte with a stable code. */
export const handleError: HandleClientError = ({ error, status, message }) => {
  if (status !== 404) console.error(error);
  return { code: status === 404 ? 'NOT_FOUND' : 'INTERNAL', message };
};
