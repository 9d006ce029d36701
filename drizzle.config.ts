import { defineConfig } from 'drizzle-kit';

// Generates SQL migrations from the Drizzle schema: `npm run db:generate -- --name <what>`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
});
