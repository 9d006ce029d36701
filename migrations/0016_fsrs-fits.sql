CREATE TABLE "fsrs_fits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"weights" double precision[] NOT NULL,
	"answers" integer NOT NULL,
	"held_out_answers" integer NOT NULL,
	"log_loss_before" double precision NOT NULL,
	"log_loss_after" double precision NOT NULL,
	"rmse_before" double precision NOT NULL,
	"rmse_after" double precision NOT NULL,
	"fitted_at" timestamp with time zone NOT NULL,
	"better" boolean NOT NULL,
	"in_use" boolean DEFAULT false NOT NULL,
	"changed_at" timestamp with time zone,
	"changed_by" uuid,
	CONSTRAINT "fsrs_fits_weights_check" CHECK (cardinality("fsrs_fits"."weights") = 21)
);
--> statement-breakpoint
ALTER TABLE "review_logs" ADD COLUMN "fsrs_fit_id" uuid;--> statement-breakpoint
ALTER TABLE "fsrs_fits" ADD CONSTRAINT "fsrs_fits_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "fsrs_fits" ADD CONSTRAINT "fsrs_fits_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "fsrs_fits_org_fitted_at_idx" ON "fsrs_fits" USING btree ("org_id","fitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "fsrs_fits_org_in_use_key" ON "fsrs_fits" USING btree ("org_id") WHERE "fsrs_fits"."in_use";