CREATE TABLE "managed_teams" (
	"org_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"team_id" uuid NOT NULL,
	CONSTRAINT "managed_teams_user_id_team_id_pk" PRIMARY KEY("user_id","team_id")
);
--> statement-breakpoint
ALTER TABLE "managed_teams" ADD CONSTRAINT "managed_teams_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "managed_teams" ADD CONSTRAINT "managed_teams_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "managed_teams" ADD CONSTRAINT "managed_teams_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "managed_teams_org_team_idx" ON "managed_teams" USING btree ("org_id","team_id");--> statement-breakpoint
CREATE INDEX "managed_teams_team_id_idx" ON "managed_teams" USING btree ("team_id");--> statement-breakpoint
-- Data step (hand-written): until now a manager looked after their own team, so every current
-- manager with a team manages that team and nobody loses a scope. From here on, managing a team
-- is set explicitly (PATCH …/members/:userId managedTeamIds): being in a team is not managing it.
INSERT INTO "managed_teams" ("org_id", "user_id", "team_id")
SELECT "org_id", "user_id", "team_id" FROM "memberships"
WHERE 'manager' = ANY("roles") AND "team_id" IS NOT NULL
ON CONFLICT DO NOTHING;
