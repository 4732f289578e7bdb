CREATE TABLE `digest_parts` (
	`period` text NOT NULL,
	`part` text NOT NULL,
	`ts` text NOT NULL,
	FOREIGN KEY (`period`) REFERENCES `digest_runs`(`period`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `digest_parts_unique` ON `digest_parts` (`period`,`part`);--> statement-breakpoint
CREATE TABLE `digest_runs` (
	`period` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`owner` text NOT NULL,
	`lease_until` integer NOT NULL,
	`day` text NOT NULL,
	`plan` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
