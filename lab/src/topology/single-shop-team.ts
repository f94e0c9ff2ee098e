/**
 * The `team` label of the one shop a lab without --teams runs (the training API's name for the
 * team of a lab nobody was registered at). Many-team labs give each shop its own team's name.
 */
export const singleShopTeam = 'open';
