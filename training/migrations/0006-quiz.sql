-- Quiz attempts. Every attempt is kept and graded; one per trainee and quiz is counted: the first.
-- (With the explanations shown after grading, a second attempt would measure reading, not
-- knowing.) Only the counted attempt becomes a quiz.answered event, so the report reads one score
-- per trainee. A trainee is its own name; an operator or instructor taking it is its actor.
CREATE TABLE quiz_attempts (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  quiz      text NOT NULL,
  trainee   text NOT NULL,
  team      text,
  actor     text NOT NULL,
  answers   jsonb NOT NULL,
  correct   integer NOT NULL CHECK (correct >= 0),
  total     integer NOT NULL CHECK (total > 0 AND correct <= total),
  counted   boolean NOT NULL
);
CREATE UNIQUE INDEX quiz_attempts_one_counted ON quiz_attempts (quiz, trainee) WHERE counted;
