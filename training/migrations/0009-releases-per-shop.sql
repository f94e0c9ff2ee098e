-- A class (docs/decisions/0015) has a shop per team, each with its own releases: blue's payments
-- may run 2.4.0 while green's runs the baseline. `shop` is the team whose shop it is, '' for the
-- single lab's one shop (every release before this migration).
ALTER TABLE releases ADD COLUMN shop text NOT NULL DEFAULT '';
DROP INDEX releases_service_idx;
CREATE INDEX releases_shop_service_idx ON releases (shop, service, id);
