CREATE TABLE "reminders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"sent_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dismissed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "prev_reviewed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "prev_stability" double precision;--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "prev_scheduled_days" integer;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminders" ADD CONSTRAINT "reminders_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminders_org_user_idx" ON "reminders" USING btree ("org_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "reminders_user_id_idx" ON "reminders" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "reminders_sent_by_idx" ON "reminders" USING btree ("sent_by");--> statement-breakpoint
-- Data step (hand-written): each logged answer's predecessor is the same learner's previous
-- answer to the same card in the log (as lag() found it); first answers keep none. From here on
-- the review that records an answer writes them from the card's memory (server/reviews).
UPDATE "review_logs" AS rl SET "prev_reviewed_at" = p."prev_reviewed_at",
	"prev_stability" = p."prev_stability", "prev_scheduled_days" = p."prev_scheduled_days"
FROM (
	SELECT "id",
		lag("reviewed_at") OVER w AS "prev_reviewed_at",
		lag("stability") OVER w AS "prev_stability",
		lag("scheduled_days") OVER w AS "prev_scheduled_days"
	FROM "review_logs"
	WINDOW w AS (PARTITION BY "user_id", "card_id" ORDER BY "reviewed_at")
) AS p
WHERE p."id" = rl."id" AND p."prev_reviewed_at" IS NOT NULL;
--> statement-breakpoint
-- Built after the backfill, which it would otherwise slow down.
CREATE INDEX "review_logs_org_refresher_idx" ON "review_logs" USING btree ("org_id","reviewed_at","user_id","module_id","rating","prev_reviewed_at","prev_stability","prev_scheduled_days") WHERE "review_logs"."prev_reviewed_at" is not null;