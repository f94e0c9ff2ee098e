/**
 * Every lab takes about three minutes of a native lab (warm-up, the fault, alerts on 1-minute
 * windows, the bot's lever, stability); CI's 45-minute budget on 2 cores cannot hold all of them
 * beside the rest of the suite. By default CI runs one lab per fault family; a variant whose
 * family another default lab already covers runs only with FIREDRILL_ALL_LABS=1 (the README's
 * "Labs in CI" says which). Read here, in the tests, never by the lab's processes.
 */
export const allLabs = process.env.FIREDRILL_ALL_LABS === '1';
