// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
  namespace App {
    /** What `error(status, …)` carries to +error.svelte: a stable code and a readable message. */
    interface Error {
      code: string;
      message: string;
    }
  }
}

export {};
