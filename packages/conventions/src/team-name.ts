/**
 * A team's name, wherever one is written: a label value, a process and database prefix
 * (`blue-api`, `shop_blue`), a port block's owner. Short and plain so it fits all of them.
 */
export const teamNamePattern = /^[a-z][a-z0-9]{0,15}$/;

/** The rule in words, for error messages. */
export const teamNameRule = 'a team name: a lowercase letter, then up to 15 lowercase letters or digits';
