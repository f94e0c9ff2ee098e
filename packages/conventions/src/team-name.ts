/**
 * A team's name, wherever one is written: a label value, a process and database prefix
 * (`blue-api`, `shop_blue`), a port block's owner. Short and plain so it fits all of them.
 */
export const teamNameSource = '[a-z][a-z0-9]{0,15}';

/** A whole string that is a team name. Patterns that hold a team name inside (`blue-api.log`) embed `teamNameSource`. */
export const teamNamePattern = new RegExp(`^${teamNameSource}$`);

/** The rule in words, for error messages. */
export const teamNameRule = 'a team name: a lowercase letter, then up to 15 lowercase letters or digits';
