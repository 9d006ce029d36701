CREATE TABLE "lesson_search_entries" (
	"org_id" uuid NOT NULL,
	"module_version_id" uuid NOT NULL,
	"lesson_id" uuid NOT NULL,
	"part" smallint NOT NULL,
	"persona_ids" uuid[] DEFAULT '{}' NOT NULL,
	"body" text NOT NULL,
	"config" "regconfig" NOT NULL,
	"document" "tsvector" GENERATED ALWAYS AS (to_tsvector("config", "body")) STORED NOT NULL,
	CONSTRAINT "lesson_search_entries_module_version_id_config_lesson_id_part_pk" PRIMARY KEY("module_version_id","config","lesson_id","part")
);
--> statement-breakpoint
ALTER TABLE "lesson_search_entries" ADD CONSTRAINT "lesson_search_entries_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lesson_search_entries" ADD CONSTRAINT "lesson_search_entries_module_version_id_module_versions_id_fk" FOREIGN KEY ("module_version_id") REFERENCES "public"."module_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lesson_search_entries_org_id_idx" ON "lesson_search_entries" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "lesson_search_entries_document_idx" ON "lesson_search_entries" USING gin ("document");--> statement-breakpoint
-- Searching lessons ignores accents ("cloture" finds "clôture"): each language's stemming after
-- unaccent. unaccent is a trusted extension (PostgreSQL 13+), and PGlite loads it (pglite-codecs.ts).
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION rappel_french (COPY = french);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION rappel_french ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION rappel_english (COPY = english);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION rappel_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
