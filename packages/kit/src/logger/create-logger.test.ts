import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';

const password = 'pa55-w0rd-never-logged';
const token = 'tok_3f9a8c7e6d5b4a39281706f5e4d3c2b1';

function capture(): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, logger: createLogger('test', 'info', { write: (line: string) => void lines.push(line) }) };
}

describe('logger redaction', () => {
  it('when a configuration with secret-bearing URLs is logged, then the passwords never reach the line but the hosts do', () => {
    const { lines, logger } = capture();
    const config = {
      DATABASE_URL: `postgres://shop:${password}@127.0.0.1:7411/shop`,
      LAB_DATABASE_URL: `postgres://lab:${password}@127.0.0.1:7410/lab`,
      REDIS_URL: `redis://default:${password}@127.0.0.1:7421`,
      // The native lab's services get the superuser's password in these (issue 12).
      SHOP_ADMIN_DATABASE_URL: `postgres://postgres:${password}@127.0.0.1:7410/shop`,
      REDIS_ADMIN_URL: `redis://default:${password}@127.0.0.1:7420`,
      DATA_SOURCE_NAME: `postgres://postgres:${password}@127.0.0.1:7410/postgres?sslmode=disable`,
    };
    logger.info({ config }, 'starting');
    logger.info(config, 'starting (flat)');
    logger.info({ pool: { connectionString: config.DATABASE_URL } }, 'pool');
    const text = lines.join('');
    expect(text).not.toContain(password);
    expect(JSON.parse(lines[0]!).config.DATABASE_URL).toBe('postgres://shop:redacted@127.0.0.1:7411/shop');
    expect(JSON.parse(lines[0]!).config.SHOP_ADMIN_DATABASE_URL).toBe('postgres://postgres:redacted@127.0.0.1:7410/shop');
  });

  it('when tokens, passwords or auth headers are logged at any usual place, then their values never reach the line', () => {
    const { lines, logger } = capture();
    logger.info({ token, password, secret: token }, 'flat');
    logger.info({ agent: { token }, user: { password } }, 'nested');
    logger.info({ req: { headers: { authorization: `Bearer ${token}`, cookie: `session=${token}` } } }, 'request');
    logger.info({ headers: { authorization: `Bearer ${token}` } }, 'outgoing');
    const text = lines.join('');
    expect(text).not.toContain(token);
    expect(text).not.toContain(password);
    expect(lines).toHaveLength(4);
  });

  it('when a URL without a password is logged, then it is left as it is', () => {
    const { lines, logger } = capture();
    logger.info({ DATABASE_URL: 'postgres://postgres@127.0.0.1:7411/shop' }, 'plain');
    expect(JSON.parse(lines[0]!).DATABASE_URL).toBe('postgres://postgres@127.0.0.1:7411/shop');
  });
});
