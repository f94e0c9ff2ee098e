/**
 * The shops of the unit tests that need a lab's shop directory (team-shops, lever-shops): a single
 * lab's settings and a two-team class as the lab describes it in CLASS_SHOPS (its real ports).
 */
export const singleShopSettings = {
  apiUrl: 'http://127.0.0.1:7400',
  paymentsUrl: 'http://127.0.0.1:7401',
  adminDatabaseUrl: 'postgres://postgres:secret@127.0.0.1:7410/shop',
  queuePrefix: 'firedrill',
  adminRedisUrl: 'redis://lab:secret@127.0.0.1:7420',
};

export const twoTeamClassShops = {
  blue: {
    api: 'http://127.0.0.1:7500',
    payments: 'http://127.0.0.1:7501',
    database: 'shop_blue',
    queuePrefix: 'firedrill-blue',
    redis: 'redis://127.0.0.1:7520',
  },
  green: {
    api: 'http://127.0.0.1:7600',
    payments: 'http://127.0.0.1:7601',
    database: 'shop_green',
    queuePrefix: 'firedrill-green',
    redis: 'redis://127.0.0.1:7620',
  },
};
