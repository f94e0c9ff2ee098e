-- A class (docs/decisions/0015) has a shop per team, and each team plays its own run at the same
-- time: one unfinished run per shop, not one in all. `shop` is the team whose shop the run drives,
-- '' for the single lab's one shop (whatever the run's team), so a single lab still allows one.
ALTER TABLE runs ADD COLUMN shop text NOT NULL DEFAULT '';
DROP INDEX runs_one_unfinished;
CREATE UNIQUE INDEX runs_one_unfinished_per_shop ON runs (shop) WHERE ended_at IS NULL;
