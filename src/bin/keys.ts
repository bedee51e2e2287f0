import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { connect } from '../db/connect';
import { issueApiKey } from '../auth/apiKeys';
import { listApiKeys, revokeApiKey } from '../auth/apiKeys.queries';
import { isRole, ROLES, type Role } from '../auth/viewer';
import { createExecutor } from '../server';
import { CliUsageError, runCli } from './runCli';

const USAGE = `usage:
  npm run keys -- create --role ${ROLES.join('|')} [--name LABEL]   prints a new API key once
  npm run keys -- list                                               every key, without secrets
  npm run keys -- revoke KEY_ID                                      the key stops working within TG_AUTH_CACHE_MS (5 s)`;

interface KeyListRow {
  id: string;
  role: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** `npm run keys -- create|list|revoke`: manages API keys, stored hashed in Neo4j. */
runCli(async () => {
  const { values, positionals } = parseArgs({
    options: { role: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (command === 'create') {
    if (rest.length) throw new CliUsageError(`unexpected argument "${rest[0]}"\n${USAGE}`);
    if (!values.role) throw new CliUsageError(`--role is required: one of ${ROLES.join(', ')}`);
    if (!isRole(values.role)) throw new CliUsageError(`--role must be one of ${ROLES.join(', ')} (got "${values.role}")`);
    if (values.role === 'public') throw new CliUsageError('--role public needs no key: requests without one are public');
  } else if (command === 'revoke') {
    if (rest.length !== 1) throw new CliUsageError(`revoke takes exactly one KEY_ID\n${USAGE}`);
  } else if (command !== 'list') {
    throw new CliUsageError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }

  const config = loadConfig();
  const connection = await connect(config, { startLocal: false });
  try {
    const executor = createExecutor(connection.driver, config);
    if (command === 'create') {
      const { id, key } = await issueApiKey(executor, values.role as Role, values.name ?? null);
      console.error(`Created ${values.role} key ${id}${values.name ? ` ("${values.name}")` : ''}. It is shown only this once:`);
      console.log(key);
    } else if (command === 'list') {
      const rows = await executor.read<KeyListRow>(listApiKeys());
      if (rows.length === 0) console.log('No API keys.');
      else console.table(rows.map((r) => ({ ...r, name: r.name ?? '', lastUsedAt: r.lastUsedAt ?? 'never', revokedAt: r.revokedAt ?? '' })));
    } else {
      const [row] = await executor.write<{ id: string }>(revokeApiKey(rest[0]!, new Date().toISOString()));
      if (!row) throw new CliUsageError(`no API key with id "${rest[0]}" (see npm run keys -- list)`);
      console.log(`Revoked ${row.id}.`);
    }
  } finally {
    await connection.close();
  }
});
