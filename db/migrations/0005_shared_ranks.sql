CREATE TABLE `rank_draws` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` integer NOT NULL,
	`member_key` text NOT NULL,
	`members` text NOT NULL,
	`reason` text NOT NULL,
	`by_user_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rank_draws_group` ON `rank_draws` (`round_id`,`member_key`);--> statement-breakpoint
DROP INDEX `contest_results_rank`;--> statement-breakpoint
DROP INDEX `contest_results_district`;--> statement-breakpoint
DROP INDEX `contest_results_branch`;--> statement-breakpoint
ALTER TABLE `contest_results` ADD `position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `contest_results` SET `position` = `rank`;--> statement-breakpoint
CREATE UNIQUE INDEX `contest_results_rank` ON `contest_results` (`contest_id`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `contest_results_district` ON `contest_results` (`contest_id`,`district_id`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `contest_results_branch` ON `contest_results` (`contest_id`,`branch_id`,`rank`,`position`);--> statement-breakpoint
DROP INDEX `round_results_rank`;--> statement-breakpoint
DROP INDEX `round_results_district`;--> statement-breakpoint
DROP INDEX `round_results_branch`;--> statement-breakpoint
ALTER TABLE `round_results` ADD `position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `round_results` SET `position` = `rank`;--> statement-breakpoint
ALTER TABLE `round_results` ADD `draw_pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `round_results` ADD `draw_place` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `round_results_rank` ON `round_results` (`round_id`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `round_results_district` ON `round_results` (`round_id`,`district_id`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `round_results_branch` ON `round_results` (`round_id`,`branch_id`,`rank`,`position`);--> statement-breakpoint
UPDATE `rounds` SET `prediction_answer` = `participant_count` WHERE `prediction_answer` IS NULL AND `participant_count` IS NOT NULL;--> statement-breakpoint
UPDATE `rounds` SET `participant_count` = (SELECT count(DISTINCT a.`user_id`) FROM `attempts` a WHERE a.`round_id` = `rounds`.`id` AND a.`status` != 'in_progress') WHERE `participant_count` IS NOT NULL;
