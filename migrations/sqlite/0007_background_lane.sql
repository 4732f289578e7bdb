CREATE INDEX `outbox_foreground_due_idx` ON `outbox` (`status`,`next_run_at`) WHERE kind <> 'timeline.reconcile';--> statement-breakpoint
CREATE INDEX `outbox_background_due_idx` ON `outbox` (`status`,`next_run_at`) WHERE kind = 'timeline.reconcile';--> statement-breakpoint
-- Captures queued before this version wait in their incident's queue: each moves to its message's queue.
UPDATE `outbox` SET `queue` = 'timeline:' || `incident_id` || ':' || json_extract(`payload`, '$.messageTs') WHERE `kind` = 'timeline.reconcile' AND `status` IN ('pending', 'running');
