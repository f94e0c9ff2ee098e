-- Who responds: teams, and the trainees in them, each with a token of their own. A name is what
-- events, reports and the scoreboard show: lower-case letters, digits and dashes, 1 to 32,
-- starting with a letter or digit (so it never reads as a command-line option).
CREATE TABLE teams (
  name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- token_hash is the SHA-256 (hex) of the trainee's token, never the token: the token is shown once
-- when the trainee is added. A slow password hash protects guessable secrets; these tokens are 32
-- random bytes, which no one guesses, so a fast hash suffices and a request's lookup stays cheap.
-- The chaos controller reads this table too (it answers a trainee's token with 403, not 401:
-- docs/decisions/0008-trainee-identities.md).
CREATE TABLE trainees (
  name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,31}$'),
  team        text NOT NULL REFERENCES teams (name),
  token_hash  text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX trainees_team_idx ON trainees (team);

-- The team a run is for (null: no team in particular, as before teams existed). Events appended
-- during the run carry it unless they name their own.
ALTER TABLE runs ADD COLUMN team text REFERENCES teams (name);
