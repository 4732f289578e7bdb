ALTER TABLE "alerts" ALTER COLUMN "labels" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "alerts" ALTER COLUMN "annotations" SET DATA TYPE json;--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "payload" SET DATA TYPE json;