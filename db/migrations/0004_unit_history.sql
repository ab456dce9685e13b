CREATE TABLE `round_unit_names` (
	`round_id` integer NOT NULL,
	`kind` text NOT NULL,
	`unit_id` text NOT NULL,
	`name` text NOT NULL,
	`district_id` text,
	PRIMARY KEY(`round_id`, `kind`, `unit_id`),
	FOREIGN KEY (`round_id`) REFERENCES `rounds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_user_id`,`at`);--> statement-breakpoint
INSERT OR IGNORE INTO `round_unit_names` (`round_id`, `kind`, `unit_id`, `name`, `district_id`)
  SELECT DISTINCT r.`id`, 'branch', a.`branch_id`,
    coalesce((SELECT json_extract(l.`details`, '$.from') FROM `audit_log` l WHERE l.`action` = 'branch.rename' AND l.`subject` = 'branch:' || a.`branch_id` AND l.`at` > r.`closes_at` ORDER BY l.`at` LIMIT 1), b.`name`), a.`district_id`
  FROM `rounds` r JOIN `attempts` a ON a.`round_id` = r.`id` JOIN `branches` b ON b.`id` = a.`branch_id`
  WHERE r.`results_computed_at` IS NOT NULL AND a.`status` != 'in_progress';--> statement-breakpoint
INSERT OR IGNORE INTO `round_unit_names` (`round_id`, `kind`, `unit_id`, `name`)
  SELECT DISTINCT r.`id`, 'district', a.`district_id`, d.`name`
  FROM `rounds` r JOIN `attempts` a ON a.`round_id` = r.`id` JOIN `districts` d ON d.`id` = a.`district_id`
  WHERE r.`results_computed_at` IS NOT NULL AND a.`status` != 'in_progress';--> statement-breakpoint
UPDATE `audit_log` SET `subject_kind` = 'unit', `subject` = 'unit:' || substr(`subject`, 8) WHERE `subject_kind` IS NULL AND `subject` LIKE 'branch:%';--> statement-breakpoint
UPDATE `audit_log` SET `subject_kind` = 'member', `subject` = 'member:' || substr(`subject`, 6) WHERE `subject_kind` IS NULL AND `subject` LIKE 'user:%';--> statement-breakpoint
UPDATE `audit_log` SET `subject_kind` = 'round' WHERE `subject_kind` IS NULL AND `subject` LIKE 'round:%';--> statement-breakpoint
UPDATE `audit_log` SET `subject_kind` = 'contest' WHERE `subject_kind` IS NULL AND `subject` LIKE 'contest:%';--> statement-breakpoint
UPDATE `audit_log` SET `subject_kind` = 'content', `subject` = 'content:' WHERE `subject_kind` IS NULL AND `subject` = 'content';--> statement-breakpoint
UPDATE `audit_log` SET `before` = json_object('name', json_extract(`details`, '$.from')), `after` = json_object('name', json_extract(`details`, '$.to')) WHERE `action` = 'branch.rename' AND `before` IS NULL;
