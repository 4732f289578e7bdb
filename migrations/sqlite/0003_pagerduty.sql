CREATE TABLE `pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` integer NOT NULL,
	`service` text NOT NULL,
	`dedup_key` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`delivered_job_id` integer,
	`delivered_at` integer,
	`resolved_at` integer,
	`last_error` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pages_dedup_unique` ON `pages` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `pages_incident_idx` ON `pages` (`incident_id`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `oncall_user_id` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `queue` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_queue_idx` ON `outbox` (`queue`,`status`);