ALTER TABLE "dashboard_pairs" ADD COLUMN "forecast_without" double precision[];--> statement-breakpoint
ALTER TABLE "dashboard_pairs" ADD COLUMN "forecast_without_slope" double precision[];--> statement-breakpoint
ALTER TABLE "dashboard_pairs" ADD COLUMN "forecast_scheduled" double precision[];--> statement-breakpoint
ALTER TABLE "dashboard_pairs" ADD COLUMN "forecast_scheduled_slope" double precision[];--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers): the forecast's sums also read each
-- card's due date and difficulty, its learner's refresher pauses and its organisation's time
-- zone (pauses are days there). A write to any of them marks the rows it changes, in the
-- writing transaction, as migration 0012's triggers do. Every row is updated, marked already or
-- not, so that the write waits for a refresh computing it (whose row lock a skipped row would
-- not wait for) and marks it after. Pauses and time zones change seldom.
DROP TRIGGER "card_states_dashboard_pairs_update" ON "card_states";
--> statement-breakpoint
CREATE TRIGGER "card_states_dashboard_pairs_update" AFTER UPDATE ON "card_states"
  FOR EACH ROW WHEN (OLD."last_review" IS DISTINCT FROM NEW."last_review"
    OR OLD."stability" IS DISTINCT FROM NEW."stability"
    OR OLD."first_review" IS DISTINCT FROM NEW."first_review"
    OR OLD."due" IS DISTINCT FROM NEW."due"
    OR OLD."difficulty" IS DISTINCT FROM NEW."difficulty"
    OR OLD."org_id" IS DISTINCT FROM NEW."org_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
    OR OLD."module_id" IS DISTINCT FROM NEW."module_id")
  EXECUTE FUNCTION "dashboard_pairs_touch_row"();
--> statement-breakpoint
CREATE FUNCTION "dashboard_pairs_forget_learner"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "dashboard_pairs" p SET "as_of" = NULL
  FROM (SELECT DISTINCT "org_id", "user_id" FROM "changed") c
  WHERE p."org_id" = c."org_id" AND p."user_id" = c."user_id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "refresher_pauses_dashboard_pairs_insert" AFTER INSERT ON "refresher_pauses"
  REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT
  EXECUTE FUNCTION "dashboard_pairs_forget_learner"();
--> statement-breakpoint
CREATE TRIGGER "refresher_pauses_dashboard_pairs_update_old" AFTER UPDATE ON "refresher_pauses"
  REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT
  EXECUTE FUNCTION "dashboard_pairs_forget_learner"();
--> statement-breakpoint
CREATE TRIGGER "refresher_pauses_dashboard_pairs_update_new" AFTER UPDATE ON "refresher_pauses"
  REFERENCING NEW TABLE AS "changed" FOR EACH STATEMENT
  EXECUTE FUNCTION "dashboard_pairs_forget_learner"();
--> statement-breakpoint
CREATE TRIGGER "refresher_pauses_dashboard_pairs_delete" AFTER DELETE ON "refresher_pauses"
  REFERENCING OLD TABLE AS "changed" FOR EACH STATEMENT
  EXECUTE FUNCTION "dashboard_pairs_forget_learner"();
--> statement-breakpoint
CREATE FUNCTION "dashboard_pairs_forget_org"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "dashboard_pairs" SET "as_of" = NULL WHERE "org_id" = NEW."id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "organisations_dashboard_pairs_time_zone" AFTER UPDATE OF "time_zone" ON "organisations"
  FOR EACH ROW WHEN (OLD."time_zone" IS DISTINCT FROM NEW."time_zone")
  EXECUTE FUNCTION "dashboard_pairs_forget_org"();
--> statement-breakpoint
-- Every row, to compute with its forecast (the refresh job does at start-up).
UPDATE "dashboard_pairs" SET "as_of" = NULL;
