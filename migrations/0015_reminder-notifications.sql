-- Reminders sent before notifications existed and not yet dismissed become unread
-- notifications, so Today's note (which now reads notifications) still shows them.
INSERT INTO "notifications" ("org_id", "user_id", "kind", "key", "params", "link", "created_at")
SELECT r."org_id", r."user_id", 'manual-reminder', 'manual-reminder:' || r."id",
       jsonb_build_object('senderName', coalesce(u."name", '')), '/o/' || r."org_id", r."created_at"
FROM "reminders" r
LEFT JOIN "users" u ON u."id" = r."sent_by"
WHERE r."dismissed_at" IS NULL
ON CONFLICT ("key") DO NOTHING;
