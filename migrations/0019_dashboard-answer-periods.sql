CREATE TABLE "dashboard_answer_periods" (
	"org_id" uuid NOT NULL,
	"period" text NOT NULL,
	"user_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"young_reviews" integer NOT NULL,
	"young_passed" integer NOT NULL,
	"mature_reviews" integer NOT NULL,
	"mature_passed" integer NOT NULL,
	"predicted" double precision NOT NULL,
	"bin_answers" integer[] NOT NULL,
	"bin_passed" integer[] NOT NULL,
	"bin_predicted" double precision[] NOT NULL,
	CONSTRAINT "dashboard_answer_periods_org_id_period_user_id_period_start_pk" PRIMARY KEY("org_id","period","user_id","period_start"),
	CONSTRAINT "dashboard_answer_periods_period_check" CHECK ("dashboard_answer_periods"."period" in ('week', 'month'))
);
--> statement-breakpoint
CREATE TABLE "dashboard_answer_watermarks" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"time_zone" text NOT NULL,
	"through" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "dashboard_answer_periods" ADD CONSTRAINT "dashboard_answer_periods_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_answer_periods" ADD CONSTRAINT "dashboard_answer_periods_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_answer_watermarks" ADD CONSTRAINT "dashboard_answer_watermarks_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dashboard_answer_periods_user_id_idx" ON "dashboard_answer_periods" USING btree ("user_id");--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers): the log is append-only, so
-- dashboard_answer_periods only ever adds answers; when answers are deleted (their module
-- deleted) or changed, their organisation's counts are done again from the start (through null).
-- The answers of a deleted learner need nothing: their rows go with them. Updating the
-- watermark, counted from the start already or not, locks it, so a deletion waits for a refresh
-- counting that organisation and marks it after.
CREATE FUNCTION "dashboard_answer_periods_forget"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "dashboard_answer_watermarks" w SET "through" = NULL
  WHERE w."org_id" IN (
    SELECT o."org_id" FROM "old_rows" o WHERE EXISTS (SELECT FROM "users" u WHERE u."id" = o."user_id"));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "review_logs_dashboard_answer_periods_delete" AFTER DELETE ON "review_logs"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT
  EXECUTE FUNCTION "dashboard_answer_periods_forget"();
--> statement-breakpoint
CREATE TRIGGER "review_logs_dashboard_answer_periods_update" AFTER UPDATE ON "review_logs"
  REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT
  EXECUTE FUNCTION "dashboard_answer_periods_forget"();
