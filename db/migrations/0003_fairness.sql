ALTER TABLE `attempts` ADD `finalized_by` text;--> statement-breakpoint
ALTER TABLE `attempts` ADD `district_id` text;--> statement-breakpoint
ALTER TABLE `attempts` ADD `branch_id` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `subject_kind` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `before` text;--> statement-breakpoint
ALTER TABLE `audit_log` ADD `after` text;--> statement-breakpoint
ALTER TABLE `contests` ADD `review_after` text DEFAULT 'questions-unused' NOT NULL;--> statement-breakpoint
ALTER TABLE `contests` ADD `show_score` text DEFAULT 'immediately' NOT NULL;--> statement-breakpoint
ALTER TABLE `contests` ADD `practice` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `contests` ADD `min_prize_score` integer;--> statement-breakpoint
ALTER TABLE `rounds` ADD `prediction_answer` integer;--> statement-breakpoint
ALTER TABLE `rounds` ADD `prize_tiers` text;--> statement-breakpoint
ALTER TABLE `users` ADD `search_name` text;--> statement-breakpoint
CREATE INDEX `users_search_name` ON `users` (`search_name`);--> statement-breakpoint
UPDATE `attempts` SET `district_id` = (SELECT `district_id` FROM `users` WHERE `users`.`id` = `attempts`.`user_id`), `branch_id` = (SELECT `branch_id` FROM `users` WHERE `users`.`id` = `attempts`.`user_id`);--> statement-breakpoint
UPDATE `attempts` SET `finalized_by` = CASE `status` WHEN 'submitted' THEN 'member' WHEN 'expired' THEN 'server' END WHERE `status` != 'in_progress';--> statement-breakpoint
UPDATE `rounds` SET `prediction_answer` = `participant_count` WHERE `results_computed_at` IS NOT NULL;--> statement-breakpoint
UPDATE `rounds` SET `prize_tiers` = (SELECT json_group_array(json_object('name', `name`, 'count', `count`)) FROM (SELECT `name`, `count` FROM `prize_tiers` WHERE `prize_tiers`.`contest_id` = `rounds`.`contest_id` ORDER BY `position`)) WHERE `results_computed_at` IS NOT NULL;
