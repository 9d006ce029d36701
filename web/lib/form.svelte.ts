/**
 * The state of one form: a request in flight, field errors (from a local zod check or the
 * API's `issues`) and a form-level error, with focus moved to the first problem.
 */
import { tick } from 'svelte';
import type { z } from 'zod';
import { goto } from '$app/navigation';
import { page } from '$app/state';
import { ApiError } from '$lib/api';
import { errorText, fieldErrors } from '$lib/errors';
import { loginPath } from '$lib/navigation';

export class FormState {
  saving = $state(false);
  errors = $state<Record<string, string>>({});
  error = $state<string | null>(null);

  /** The error of one field, by dotted path. */
  field(path: string): string | undefined {
    return this.errors[path];
  }

  reset() {
    this.errors = {};
    this.error = null;
  }

  /** Checks input locally with a shared schema; `null` (and errors shown) when it fails. */
  check<S extends z.ZodType>(
    schema: S,
    input: unknown,
    form?: HTMLFormElement,
  ): z.output<S> | null {
    const result = schema.safeParse(input);
    if (result.success) return result.data;
    this.errors = fieldErrors(result.error.issues as never);
    this.error = null;
    void this.#focusProblem(form);
    return null;
  }

  /**
   * Runs one request: disables the form meanwhile, shows the API's errors, and sends an expired
   * session to the login page. `explain` can give a code a message fit for this form.
   */
  async submit<T>(
    action: () => Promise<T>,
    options: { form?: HTMLFormElement; explain?: (e: ApiError) => string | undefined } = {},
  ): Promise<T | undefined> {
    if (this.saving) return undefined;
    this.reset();
    this.saving = true;
    try {
      return await action();
    } catch (e) {
      if (!(e instanceof ApiError)) {
        // A bug or an answer we could not read: say so rather than fail silently.
        console.error(e);
        this.error = errorText('INTERNAL');
        return undefined;
      }
      if (e.code === 'UNAUTHENTICATED') {
        // eslint-disable-next-line svelte/no-navigation-without-resolve -- loginPath is a local path
        await goto(loginPath(page.url.pathname));
        return undefined;
      }
      this.errors = fieldErrors(e.issues);
      this.error = options.explain?.(e) ?? errorText(e.code);
      void this.#focusProblem(options.form);
      return undefined;
    } finally {
      this.saving = false;
    }
  }

  async #focusProblem(form?: HTMLFormElement) {
    if (!form) return;
    await tick();
    const target =
      form.querySelector<HTMLElement>('[aria-invalid="true"], [data-invalid] input') ??
      form.querySelector<HTMLElement>('[data-form-error]');
    target?.focus();
  }
}
