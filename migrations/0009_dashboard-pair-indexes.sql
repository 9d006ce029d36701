DROP INDEX "assignments_org_user_idx";--> statement-breakpoint
DROP INDEX "lesson_progress_org_user_idx";--> statement-breakpoint
CREATE INDEX "assignments_org_user_module_idx" ON "assignments" USING btree ("org_id","user_id","module_id","opens_at");--> statement-breakpoint
CREATE INDEX "lesson_progress_org_user_module_idx" ON "lesson_progress" USING btree ("org_id","user_id","module_id","lesson_id","completed_at","known_at");