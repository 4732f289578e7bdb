CREATE TABLE `action_item_reschedules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`action_item_id` integer NOT NULL,
	`was_due` text NOT NULL,
	`due` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`action_item_id`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_item_reschedules_item_idx` ON `action_item_reschedules` (`action_item_id`,`at`);