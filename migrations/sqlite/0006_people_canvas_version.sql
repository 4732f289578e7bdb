CREATE TABLE `people` (
	`user_id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`seen_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `postmortems` ADD `canvas_version` integer;
--> statement-breakpoint
-- A canvas written before this column holds the version last published to it.
UPDATE `postmortems` SET `canvas_version` = `published_version` WHERE `canvas_id` IS NOT NULL;
