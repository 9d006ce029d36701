-- Pending duplicates left by parallel invitations: the newest of each organisation × address stays pending.
UPDATE "invitations" SET "revoked_at" = now()
WHERE "accepted_at" is null and "revoked_at" is null
  and exists (
    select 1 from "invitations" "newer"
    where "newer"."org_id" = "invitations"."org_id" and "newer"."email" = "invitations"."email"
      and "newer"."accepted_at" is null and "newer"."revoked_at" is null
      and ("newer"."created_at", "newer"."id") > ("invitations"."created_at", "invitations"."id")
  );--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_pending_key" ON "invitations" USING btree ("org_id","email") WHERE "invitations"."accepted_at" is null and "invitations"."revoked_at" is null;
