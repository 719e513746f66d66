// Process exit codes. The systemd units list CONFIG, AUTH and ALREADY_RUNNING in
// RestartPreventExitStatus: restarting cannot fix a bad file, a revoked token or a second unit
// started for an account that already has a daemon, and a restart loop would only hammer the exchange.

export const EXIT_OK = 0;
/** A fatal error, after cleanup; systemd restarts the unit. */
export const EXIT_FATAL = 1;
/** Another daemon holds the account's lock (EX_CANTCREAT: the lock could not be taken). */
export const EXIT_ALREADY_RUNNING = 73;
/** The credentials were refused (EX_NOPERM). */
export const EXIT_AUTH = 77;
/** The configuration is invalid (EX_CONFIG). */
export const EXIT_CONFIG = 78;
/** A repeated stop signal after the join window: leave at once (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
