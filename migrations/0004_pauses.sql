CREATE TABLE "refresher_pauses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refresher_pauses_dates_check" CHECK ("refresher_pauses"."ends_on" >= "refresher_pauses"."starts_on")
);
--> statement-breakpoint
ALTER TABLE "refresher_pauses" ADD CONSTRAINT "refresher_pauses_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresher_pauses" ADD CONSTRAINT "refresher_pauses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "refresher_pauses" ADD CONSTRAINT "refresher_pauses_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "refresher_pauses_org_user_idx" ON "refresher_pauses" USING btree ("org_id","user_id","starts_on");--> statement-breakpoint
CREATE INDEX "refresher_pauses_user_id_idx" ON "refresher_pauses" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "refresher_pauses_created_by_idx" ON "refresher_pauses" USING btree ("created_by");