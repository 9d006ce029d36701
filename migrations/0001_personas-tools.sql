CREATE TYPE "public"."answer_device" AS ENUM('desktop', 'phone', 'tablet');--> statement-breakpoint
CREATE TYPE "public"."device" AS ENUM('desktop', 'phone', 'tablet', 'any');--> statement-breakpoint
CREATE TABLE "persona_rule_sets" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"fallback_persona_id" uuid NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "persona_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"min_confidence" smallint NOT NULL,
	"max_confidence" smallint NOT NULL,
	"devices" "answer_device"[] DEFAULT '{}' NOT NULL,
	"persona_id" uuid NOT NULL,
	CONSTRAINT "persona_rules_org_position_key" UNIQUE("org_id","position"),
	CONSTRAINT "persona_rules_confidence_check" CHECK (1 <= "persona_rules"."min_confidence" and "persona_rules"."min_confidence" <= "persona_rules"."max_confidence" and "persona_rules"."max_confidence" <= 5)
);
--> statement-breakpoint
CREATE TABLE "personas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"confidence" smallint NOT NULL,
	"device" "device" NOT NULL,
	"minutes_per_day" smallint NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "personas_confidence_check" CHECK ("personas"."confidence" between 1 and 5),
	CONSTRAINT "personas_minutes_check" CHECK ("personas"."minutes_per_day" between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "processes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"tool_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"next_use" jsonb DEFAULT '{"kind":"none"}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tools" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_team_id_teams_id_fk";
--> statement-breakpoint
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_job_role_id_job_roles_id_fk";
--> statement-breakpoint
ALTER TABLE "persona_rule_sets" ADD CONSTRAINT "persona_rule_sets_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persona_rule_sets" ADD CONSTRAINT "persona_rule_sets_fallback_persona_id_personas_id_fk" FOREIGN KEY ("fallback_persona_id") REFERENCES "public"."personas"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persona_rules" ADD CONSTRAINT "persona_rules_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "persona_rules" ADD CONSTRAINT "persona_rules_persona_id_personas_id_fk" FOREIGN KEY ("persona_id") REFERENCES "public"."personas"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "personas" ADD CONSTRAINT "personas_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processes" ADD CONSTRAINT "processes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "processes" ADD CONSTRAINT "processes_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "persona_rule_sets_fallback_persona_id_idx" ON "persona_rule_sets" USING btree ("fallback_persona_id");--> statement-breakpoint
CREATE INDEX "persona_rules_persona_id_idx" ON "persona_rules" USING btree ("persona_id");--> statement-breakpoint
CREATE UNIQUE INDEX "personas_org_name_key" ON "personas" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "processes_tool_name_key" ON "processes" USING btree ("tool_id",lower("name"));--> statement-breakpoint
CREATE INDEX "processes_org_id_idx" ON "processes" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tools_org_name_key" ON "tools" USING btree ("org_id",lower("name"));--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_job_role_id_job_roles_id_fk" FOREIGN KEY ("job_role_id") REFERENCES "public"."job_roles"("id") ON DELETE set null ON UPDATE no action;