-- The training plane's store, in the lab's database (never the shop's: a database fault must not
-- blind the lab).

-- Append-only: everything that happened during a lab, who did it and who may see it. Timelines,
-- phases and grades are computed from these rows.
CREATE TABLE events (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  run_id      text,
  team        text,
  actor       text NOT NULL,
  kind        text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  visibility  text NOT NULL DEFAULT 'everyone' CHECK (visibility IN ('everyone', 'instructor'))
);
CREATE INDEX events_run_idx ON events (run_id, id);

-- Deploy history per service: a deploy puts a version on top, a rollback takes it off again.
CREATE TABLE releases (
  id                bigserial PRIMARY KEY,
  at                timestamptz NOT NULL DEFAULT now(),
  service           text NOT NULL,
  action            text NOT NULL CHECK (action IN ('deploy', 'rollback')),
  version           text NOT NULL,
  previous_version  text NOT NULL,
  actor             text NOT NULL
);
CREATE INDEX releases_service_idx ON releases (service, id);

-- Current flag values (a flag without a row has its default) and every change to them. The id of
-- the latest change is the flag set's version, which the services' providers compare.
CREATE TABLE flags (
  name        text PRIMARY KEY,
  value       jsonb NOT NULL,
  changed_at  timestamptz NOT NULL,
  changed_by  text NOT NULL
);
CREATE TABLE flag_changes (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  name      text NOT NULL,
  previous  jsonb NOT NULL,
  value     jsonb NOT NULL,
  actor     text NOT NULL
);
CREATE INDEX flag_changes_name_idx ON flag_changes (name, id);
