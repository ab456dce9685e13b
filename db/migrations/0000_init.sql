CREATE TABLE `attempt_items` (
	`attempt_id` text NOT NULL,
	`position` integer NOT NULL,
	`question_version_id` integer NOT NULL,
	`option_order` text NOT NULL,
	`chosen` text,
	`answered_at` integer,
	PRIMARY KEY(`attempt_id`, `position`),
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_version_id`) REFERENCES `question_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`attempt_number` integer NOT NULL,
	`started_at` integer NOT NULL,
	`deadline_at` integer NOT NULL,
	`status` text DEFAULT 'in_progress' NOT NULL,
	`finalized_at` integer,
	`prediction` integer,
	`score` integer,
	`max_score` integer NOT NULL,
	`correct_count` integer,
	`question_count` integer NOT NULL,
	`duration_ms` integer,
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_round_user_number` ON `attempts` (`round_id`,`user_id`,`attempt_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `attempts_one_in_progress` ON `attempts` (`user_id`) WHERE "attempts"."status" = 'in_progress';--> statement-breakpoint
CREATE INDEX `attempts_round_score` ON `attempts` (`round_id`,`score`);--> statement-breakpoint
CREATE INDEX `attempts_round_finalized` ON `attempts` (`round_id`,`finalized_at`);--> statement-breakpoint
CREATE INDEX `attempts_deadline_open` ON `attempts` (`deadline_at`) WHERE "attempts"."status" = 'in_progress';--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_user_id` text,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`details` text,
	FOREIGN KEY (`actor_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject`);--> statement-breakpoint
CREATE TABLE `banks` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`topic` text,
	`source` text,
	`description` text,
	`source_file` text,
	`content_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `branches` (
	`id` text PRIMARY KEY NOT NULL,
	`district_id` text NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`merged_into_id` text,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `branches_district` ON `branches` (`district_id`);--> statement-breakpoint
CREATE TABLE `contests` (
	`id` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`timezone` text DEFAULT 'Asia/Ho_Chi_Minh' NOT NULL,
	`rules_markdown` text DEFAULT '' NOT NULL,
	`time_limit_seconds` integer NOT NULL,
	`questions_per_attempt` integer NOT NULL,
	`attempts_per_round` integer DEFAULT 1 NOT NULL,
	`prediction_enabled` integer DEFAULT true NOT NULL,
	`prediction_target` text DEFAULT 'participants' NOT NULL,
	`ranking_order` text DEFAULT '["score","prediction","duration","finishedAt"]' NOT NULL,
	`live_standings` integer DEFAULT false NOT NULL,
	`one_prize_per_person` integer DEFAULT false NOT NULL,
	`source_file` text,
	`content_hash` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `disqualifications` (
	`round_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`reason` text NOT NULL,
	`by_user_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`round_id`, `user_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `districts` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `prize_tiers` (
	`contest_id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`contest_id`, `position`),
	FOREIGN KEY (`contest_id`) REFERENCES `contests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `question_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`version_id` integer NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`is_correct` integer NOT NULL,
	`pinned` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`version_id`) REFERENCES `question_versions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `question_options_version_position` ON `question_options` (`version_id`,`position`);--> statement-breakpoint
CREATE TABLE `question_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question_id` integer NOT NULL,
	`version` integer NOT NULL,
	`content_hash` text NOT NULL,
	`stem` text NOT NULL,
	`explanation` text,
	`source` text,
	`points` integer DEFAULT 1 NOT NULL,
	`multiple_answers` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `question_versions_question_version` ON `question_versions` (`question_id`,`version`);--> statement-breakpoint
CREATE UNIQUE INDEX `question_versions_question_hash` ON `question_versions` (`question_id`,`content_hash`);--> statement-breakpoint
CREATE TABLE `questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`bank_id` text NOT NULL,
	`key` text NOT NULL,
	`position` integer NOT NULL,
	`current_version_id` integer,
	`active` integer DEFAULT true NOT NULL,
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `questions_bank_key` ON `questions` (`bank_id`,`key`);--> statement-breakpoint
CREATE INDEX `questions_bank_active` ON `questions` (`bank_id`,`active`);--> statement-breakpoint
CREATE TABLE `round_quotas` (
	`round_id` integer NOT NULL,
	`bank_id` text NOT NULL,
	`question_count` integer NOT NULL,
	PRIMARY KEY(`round_id`, `bank_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rounds` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`contest_id` text NOT NULL,
	`number` integer NOT NULL,
	`title` text NOT NULL,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`results_computed_at` integer,
	`participant_count` integer,
	FOREIGN KEY (`contest_id`) REFERENCES `contests`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rounds_contest_number` ON `rounds` (`contest_id`,`number`);--> statement-breakpoint
CREATE INDEX `rounds_opens_at` ON `rounds` (`opens_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sessions_user` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`full_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`district_id` text NOT NULL,
	`branch_id` text NOT NULL,
	`role` text DEFAULT 'member' NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`must_change_password` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`district_id`) REFERENCES `districts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`branch_id`) REFERENCES `branches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_phone` ON `users` (`phone`);--> statement-breakpoint
CREATE INDEX `users_branch` ON `users` (`branch_id`);--> statement-breakpoint
CREATE INDEX `users_district` ON `users` (`district_id`);