-- A class (docs/decisions/0015) has a shop per team, and each team's flags are its own: blue's run
-- turning payments.fraud-check on must not change green's shop. `shop` is the team whose shop the
-- flag is set on, '' for the single lab's one shop (every flag before this migration).
ALTER TABLE flags ADD COLUMN shop text NOT NULL DEFAULT '';
ALTER TABLE flags DROP CONSTRAINT flags_pkey;
ALTER TABLE flags ADD PRIMARY KEY (shop, name);
ALTER TABLE flag_changes ADD COLUMN shop text NOT NULL DEFAULT '';
DROP INDEX flag_changes_name_idx;
CREATE INDEX flag_changes_shop_name_idx ON flag_changes (shop, name, id);
