ALTER TABLE `incidents` ADD `declared_via` text DEFAULT 'command' NOT NULL;--> statement-breakpoint
-- Incidents from before this column: the alert path declared as system:alertmanager; the form left no trace, so the rest read as the command.
UPDATE `incidents` SET `declared_via` = 'alert' WHERE `declared_by` = 'system:alertmanager';
