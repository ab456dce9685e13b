ALTER TABLE `contests` ADD `embed_origins` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `contests` ADD `certificate_signers` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `contests` ADD `share_image` blob;--> statement-breakpoint
ALTER TABLE `users` ADD `via_branch_id` text REFERENCES branches(id);--> statement-breakpoint
CREATE INDEX `users_via_branch` ON `users` (`via_branch_id`);