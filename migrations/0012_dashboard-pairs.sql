CREATE TABLE "dashboard_pairs" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"module_id" uuid NOT NULL,
	"as_of" timestamp with time zone,
	"recall_sum" double precision DEFAULT 0 NOT NULL,
	"recall_slope" double precision DEFAULT 0 NOT NULL,
	"cards" integer DEFAULT 0 NOT NULL,
	"refreshed" boolean DEFAULT false NOT NULL,
	"opens_at" timestamp with time zone,
	"started" boolean DEFAULT false NOT NULL,
	"done_lessons" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	CONSTRAINT "dashboard_pairs_org_id_user_id_module_id_pk" PRIMARY KEY("org_id","user_id","module_id")
);
--> statement-breakpoint
ALTER TABLE "dashboard_pairs" ADD CONSTRAINT "dashboard_pairs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_pairs" ADD CONSTRAINT "dashboard_pairs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dashboard_pairs" ADD CONSTRAINT "dashboard_pairs_module_id_modules_id_fk" FOREIGN KEY ("module_id") REFERENCES "public"."modules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dashboard_pairs_user_id_idx" ON "dashboard_pairs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "dashboard_pairs_module_id_idx" ON "dashboard_pairs" USING btree ("module_id");
--> statement-breakpoint
-- Hand-written (drizzle-kit does not generate triggers): whenever a card state, an assignment or
-- a lesson progress is written, its learner × module row is to be computed again (as_of null);
-- a new pair gets its row. A deleted row only marks its pair (inserting one could name a user or
-- module being deleted by the same cascade). Both lock the pair's row even when it is marked
-- already (ON CONFLICT DO UPDATE locks the row whether or not its WHERE holds), so a write waits
-- for a refresh computing that row and marks it after (server/dashboards/dashboard-pairs.ts).
--
-- Assignments and lesson progress, written by few statements of many rows (a publication
-- assigns a module to a whole job role), mark their pairs once per statement. Card states are
-- written one at a time by every answer: a row trigger, only when what the overview reads of
-- the memory changes, costs the answer less than a statement trigger's transition table (and
-- nothing for the empty memory an answer may create first).
CREATE FUNCTION "dashboard_pairs_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dashboard_pairs" ("org_id", "user_id", "module_id")
  SELECT DISTINCT "org_id", "user_id", "module_id" FROM "written"
  ON CONFLICT ("org_id", "user_id", "module_id") DO UPDATE SET "as_of" = NULL
    WHERE "dashboard_pairs"."as_of" IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "dashboard_pairs_touch_row"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "dashboard_pairs" ("org_id", "user_id", "module_id")
  VALUES (NEW."org_id", NEW."user_id", NEW."module_id")
  ON CONFLICT ("org_id", "user_id", "module_id") DO UPDATE SET "as_of" = NULL
    WHERE "dashboard_pairs"."as_of" IS NOT NULL;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION "dashboard_pairs_forget"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "dashboard_pairs" p SET "as_of" = NULL
  FROM (SELECT DISTINCT "org_id", "user_id", "module_id" FROM "deleted") d
  WHERE p."org_id" = d."org_id" AND p."user_id" = d."user_id" AND p."module_id" = d."module_id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "card_states_dashboard_pairs_insert" AFTER INSERT ON "card_states"
  FOR EACH ROW WHEN (NEW."last_review" IS NOT NULL)
  EXECUTE FUNCTION "dashboard_pairs_touch_row"();
--> statement-breakpoint
CREATE TRIGGER "card_states_dashboard_pairs_update" AFTER UPDATE ON "card_states"
  FOR EACH ROW WHEN (OLD."last_review" IS DISTINCT FROM NEW."last_review"
    OR OLD."stability" IS DISTINCT FROM NEW."stability"
    OR OLD."first_review" IS DISTINCT FROM NEW."first_review"
    OR OLD."org_id" IS DISTINCT FROM NEW."org_id" OR OLD."user_id" IS DISTINCT FROM NEW."user_id"
    OR OLD."module_id" IS DISTINCT FROM NEW."module_id")
  EXECUTE FUNCTION "dashboard_pairs_touch_row"();
--> statement-breakpoint
CREATE TRIGGER "card_states_dashboard_pairs_delete" AFTER DELETE ON "card_states"
  REFERENCING OLD TABLE AS "deleted" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_forget"();
--> statement-breakpoint
CREATE TRIGGER "assignments_dashboard_pairs_insert" AFTER INSERT ON "assignments"
  REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_touch"();
--> statement-breakpoint
CREATE TRIGGER "assignments_dashboard_pairs_update" AFTER UPDATE ON "assignments"
  REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_touch"();
--> statement-breakpoint
CREATE TRIGGER "assignments_dashboard_pairs_delete" AFTER DELETE ON "assignments"
  REFERENCING OLD TABLE AS "deleted" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_forget"();
--> statement-breakpoint
CREATE TRIGGER "lesson_progress_dashboard_pairs_insert" AFTER INSERT ON "lesson_progress"
  REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_touch"();
--> statement-breakpoint
CREATE TRIGGER "lesson_progress_dashboard_pairs_update" AFTER UPDATE ON "lesson_progress"
  REFERENCING NEW TABLE AS "written" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_touch"();
--> statement-breakpoint
CREATE TRIGGER "lesson_progress_dashboard_pairs_delete" AFTER DELETE ON "lesson_progress"
  REFERENCING OLD TABLE AS "deleted" FOR EACH STATEMENT EXECUTE FUNCTION "dashboard_pairs_forget"();
--> statement-breakpoint
-- Every pair so far, to compute (the refresh job does at start-up).
INSERT INTO "dashboard_pairs" ("org_id", "user_id", "module_id")
SELECT "org_id", "user_id", "module_id" FROM "card_states"
UNION SELECT "org_id", "user_id", "module_id" FROM "assignments"
UNION SELECT "org_id", "user_id", "module_id" FROM "lesson_progress";
