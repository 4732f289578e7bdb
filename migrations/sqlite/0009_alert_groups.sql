CREATE TABLE `alert_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_key` text NOT NULL,
	`incident_id` integer,
	`action` text NOT NULL,
	`offered_incident_id` integer,
	`alertname` text NOT NULL,
	`service` text,
	`first_starts_at` integer NOT NULL,
	`runbook_url` text,
	`notice_channel` text,
	`notice_ts` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`offered_incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alert_groups_group_key_unique` ON `alert_groups` (`group_key`);--> statement-breakpoint
CREATE INDEX `alert_groups_name_service_idx` ON `alert_groups` (`alertname`,`service`);--> statement-breakpoint
CREATE INDEX `alert_groups_incident_idx` ON `alert_groups` (`incident_id`);--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`group_key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`incident_id` integer,
	`status` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`labels` text NOT NULL,
	`annotations` text NOT NULL,
	`generator_url` text,
	`received_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_group_fingerprint_unique` ON `alerts` (`group_key`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `alerts_incident_idx` ON `alerts` (`incident_id`,`status`);