ALTER TABLE `attempts` ADD `answered_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `attempts` SET `answered_count` = (SELECT count(*) FROM `attempt_items` WHERE `attempt_items`.`attempt_id` = `attempts`.`id` AND `attempt_items`.`chosen` IS NOT NULL);--> statement-breakpoint
CREATE TRIGGER `attempt_items_answered_insert` AFTER INSERT ON `attempt_items` WHEN NEW.`chosen` IS NOT NULL BEGIN
  UPDATE `attempts` SET `answered_count` = `answered_count` + 1 WHERE `id` = NEW.`attempt_id`;
END;--> statement-breakpoint
CREATE TRIGGER `attempt_items_answered_update` AFTER UPDATE OF `chosen`, `attempt_id` ON `attempt_items` WHEN (OLD.`chosen` IS NULL) <> (NEW.`chosen` IS NULL) OR OLD.`attempt_id` <> NEW.`attempt_id` BEGIN
  UPDATE `attempts` SET `answered_count` = `answered_count` - 1 WHERE `id` = OLD.`attempt_id` AND OLD.`chosen` IS NOT NULL;
  UPDATE `attempts` SET `answered_count` = `answered_count` + 1 WHERE `id` = NEW.`attempt_id` AND NEW.`chosen` IS NOT NULL;
END;--> statement-breakpoint
CREATE TRIGGER `attempt_items_answered_delete` AFTER DELETE ON `attempt_items` WHEN OLD.`chosen` IS NOT NULL BEGIN
  UPDATE `attempts` SET `answered_count` = `answered_count` - 1 WHERE `id` = OLD.`attempt_id`;
END;
