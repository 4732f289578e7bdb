CREATE TABLE `slo_figures` (
	`incident_id` integer NOT NULL,
	`slo_id` text NOT NULL,
	`figures` text NOT NULL,
	`computed_at` integer NOT NULL,
	`final` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slo_figures_incident_slo_unique` ON `slo_figures` (`incident_id`,`slo_id`);--> statement-breakpoint
CREATE TABLE `slo_threshold_posts` (
	`slo_id` text NOT NULL,
	`period` integer NOT NULL,
	`threshold_bp` integer NOT NULL,
	`incident_id` integer,
	`posted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slo_threshold_posts_unique` ON `slo_threshold_posts` (`slo_id`,`period`,`threshold_bp`);--> statement-breakpoint
ALTER TABLE `incidents` ADD `service` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `impact_started_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `impact_ended_at` integer;