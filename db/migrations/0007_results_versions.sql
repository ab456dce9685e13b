PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_contest_results` (
	`contest_id` text NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`user_id` text NOT NULL,
	`rank` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`total_score` integer NOT NULL,
	`rounds` integer NOT NULL,
	`prediction_distance` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`finalized_at` integer NOT NULL,
	`district_id` text NOT NULL,
	`branch_id` text NOT NULL,
	PRIMARY KEY(`contest_id`, `version`, `user_id`),
	FOREIGN KEY (`contest_id`) REFERENCES `contests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_contest_results`("contest_id", "version", "user_id", "rank", "position", "total_score", "rounds", "prediction_distance", "duration_ms", "finalized_at", "district_id", "branch_id") SELECT "contest_id", 0, "user_id", "rank", "position", "total_score", "rounds", "prediction_distance", "duration_ms", "finalized_at", "district_id", "branch_id" FROM `contest_results`;--> statement-breakpoint
DROP TABLE `contest_results`;--> statement-breakpoint
ALTER TABLE `__new_contest_results` RENAME TO `contest_results`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `contest_results_rank` ON `contest_results` (`contest_id`,`version`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `contest_results_district` ON `contest_results` (`contest_id`,`version`,`district_id`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `contest_results_branch` ON `contest_results` (`contest_id`,`version`,`branch_id`,`rank`,`position`);--> statement-breakpoint
CREATE TABLE `__new_round_results` (
	`round_id` integer NOT NULL,
	`version` integer DEFAULT 0 NOT NULL,
	`user_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`rank` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`score` integer NOT NULL,
	`max_score` integer NOT NULL,
	`correct_count` integer NOT NULL,
	`prediction` integer,
	`prediction_distance` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`finalized_at` integer NOT NULL,
	`prize` text,
	`draw_pending` integer DEFAULT false NOT NULL,
	`draw_place` integer,
	`district_id` text NOT NULL,
	`branch_id` text NOT NULL,
	PRIMARY KEY(`round_id`, `version`, `user_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_round_results`("round_id", "version", "user_id", "attempt_id", "rank", "position", "score", "max_score", "correct_count", "prediction", "prediction_distance", "duration_ms", "finalized_at", "prize", "draw_pending", "draw_place", "district_id", "branch_id") SELECT "round_id", 0, "user_id", "attempt_id", "rank", "position", "score", "max_score", "correct_count", "prediction", "prediction_distance", "duration_ms", "finalized_at", "prize", "draw_pending", "draw_place", "district_id", "branch_id" FROM `round_results`;--> statement-breakpoint
DROP TABLE `round_results`;--> statement-breakpoint
ALTER TABLE `__new_round_results` RENAME TO `round_results`;--> statement-breakpoint
CREATE UNIQUE INDEX `round_results_rank` ON `round_results` (`round_id`,`version`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `round_results_district` ON `round_results` (`round_id`,`version`,`district_id`,`rank`,`position`);--> statement-breakpoint
CREATE INDEX `round_results_branch` ON `round_results` (`round_id`,`version`,`branch_id`,`rank`,`position`);--> statement-breakpoint
ALTER TABLE `contests` ADD `results_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `contests` ADD `results_writing` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rounds` ADD `results_version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `rounds` ADD `results_writing` integer DEFAULT 0 NOT NULL;