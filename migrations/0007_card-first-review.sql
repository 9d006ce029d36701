DROP INDEX "card_states_user_module_idx";--> statement-breakpoint
ALTER TABLE "card_states" ADD COLUMN "first_review" timestamp with time zone;--> statement-breakpoint
-- Data step (hand-written): each card state's first review is the earliest answer of its
-- review log; card states without a log (no answer recorded yet) keep none. From here on the
-- review that records an answer sets it when it is still empty (server/reviews/repository.ts).
UPDATE "card_states" AS cs SET "first_review" = f."first_review"
FROM (
	SELECT "user_id", "card_id", min("reviewed_at") AS "first_review"
	FROM "review_logs" GROUP BY "user_id", "card_id"
) AS f
WHERE f."user_id" = cs."user_id" AND f."card_id" = cs."card_id";
--> statement-breakpoint
-- Built after the backfill, which it would otherwise slow down.
CREATE INDEX "card_states_org_user_module_idx" ON "card_states" USING btree ("org_id","user_id","module_id","last_review","stability","first_review");