CREATE TABLE "invitation_managed_teams" (
	"org_id" uuid NOT NULL,
	"invitation_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	CONSTRAINT "invitation_managed_teams_invitation_id_team_id_pk" PRIMARY KEY("invitation_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "invitation_managed_teams" ADD CONSTRAINT "invitation_managed_teams_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_managed_teams" ADD CONSTRAINT "invitation_managed_teams_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_managed_teams" ADD CONSTRAINT "invitation_managed_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitation_managed_teams_org_id_idx" ON "invitation_managed_teams" USING btree ("org_id");--> statement-breakpoint
CREATE INDEX "invitation_managed_teams_team_id_idx" ON "invitation_managed_teams" USING btree ("team_id");