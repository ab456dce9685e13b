CREATE TABLE `contest_results` (
	`contest_id` text NOT NULL,
	`user_id` text NOT NULL,
	`rank` integer NOT NULL,
	`total_score` integer NOT NULL,
	`rounds` integer NOT NULL,
	`prediction_distance` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`finalized_at` integer NOT NULL,
	`district_id` text NOT NULL,
	`branch_id` text NOT NULL,
	PRIMARY KEY(`contest_id`, `user_id`),
	FOREIGN KEY (`contest_id`) REFERENCES `contests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contest_results_rank` ON `contest_results` (`contest_id`,`rank`);--> statement-breakpoint
CREATE INDEX `contest_results_district` ON `contest_results` (`contest_id`,`district_id`,`rank`);--> statement-breakpoint
CREATE INDEX `contest_results_branch` ON `contest_results` (`contest_id`,`branch_id`,`rank`);--> statement-breakpoint
CREATE TABLE `round_results` (
	`round_id` integer NOT NULL,
	`user_id` text NOT NULL,
	`attempt_id` text NOT NULL,
	`rank` integer NOT NULL,
	`score` integer NOT NULL,
	`max_score` integer NOT NULL,
	`correct_count` integer NOT NULL,
	`prediction` integer,
	`prediction_distance` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`finalized_at` integer NOT NULL,
	`prize` text,
	`district_id` text NOT NULL,
	`branch_id` text NOT NULL,
	PRIMARY KEY(`round_id`, `user_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attempt_id`) REFERENCES `attempts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `round_results_rank` ON `round_results` (`round_id`,`rank`);--> statement-breakpoint
CREATE INDEX `round_results_district` ON `round_results` (`round_id`,`district_id`,`rank`);--> statement-breakpoint
CREATE INDEX `round_results_branch` ON `round_results` (`round_id`,`branch_id`,`rank`);