// An account's configuration as every command loads it: the env file (owner-only when it holds a
// secret), the schema, then the check for misspelt variables. Also used by the SIGHUP reload.

import { loadConfig, type Config } from '../config/load.js';
import { reviewVariables } from '../config/unknown-variables.js';
import { ConfigError } from '../errors.js';
import { readEnvFile } from './env-file.js';

export interface AccountConfig {
  readonly config: Config;
  /** Variables the file sets that standx-mm does not use (the Python bot's, others): logged once. */
  readonly ignoredVariables: readonly string[];
}

/** The file parsed, but names a variable of the daemon's families that does not exist. */
export class UnknownVariableError extends ConfigError {
  /** Parsed enough to send an alert about it. */
  readonly config: Config;

  constructor(problems: readonly string[], config: Config) {
    super(problems);
    this.config = config;
  }
}

export function loadAccountConfig(path: string, processEnv: Readonly<Record<string, string | undefined>>): AccountConfig {
  const file = readEnvFile(path, processEnv);
  const review = reviewVariables(file.fileVariables, Object.keys(processEnv));
  let config: Config;
  try {
    config = loadConfig(file.env, { accountName: file.accountName });
  } catch (error) {
    // A misspelling often explains a missing or defaulted value: report both.
    if (error instanceof ConfigError) throw new ConfigError([...review.problems, ...error.problems]);
    throw error;
  }
  if (review.problems.length > 0) throw new UnknownVariableError(review.problems, config);
  return { config, ignoredVariables: review.ignored };
}
