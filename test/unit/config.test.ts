import { ConfigError, loadConfig } from '../../src/config';

describe('loadConfig', () => {
  it('gives defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', neo4jDatabase: 'neo4j', neo4jUri: undefined, compiledExecution: true });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ NEO4J_URI: 'http://localhost:7474' }, 'NEO4J_URI'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ NEO4J_USERNAME: 'neo4j' }, 'NEO4J_PASSWORD'],
    [{ NODE_ENV: 'production' }, 'TG_PSEUDONYM_SECRET'],
    [{ TG_NEO4J_HEAP: 'lots' }, 'TG_NEO4J_HEAP'],
    [{ TG_COMPILED_EXECUTION: 'maybe' }, 'TG_COMPILED_EXECUTION'],
  ])('names the bad variable in %j', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('accepts neo4j+s URIs with credentials', () => {
    const config = loadConfig({ NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io', NEO4J_USERNAME: 'neo4j', NEO4J_PASSWORD: 'x' });
    expect(config.neo4jUri).toBe('neo4j+s://abc.databases.neo4j.io');
  });
});
