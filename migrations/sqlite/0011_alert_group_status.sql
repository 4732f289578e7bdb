ALTER TABLE `alert_groups` ADD `status` text DEFAULT 'firing' NOT NULL;--> statement-breakpoint
-- Groups from before this column: resolved when none of their recorded alerts fires.
UPDATE `alert_groups` SET `status` = 'resolved' WHERE NOT EXISTS (SELECT 1 FROM `alerts` WHERE `alerts`.`group_key` = `alert_groups`.`group_key` AND `alerts`.`status` = 'firing');
