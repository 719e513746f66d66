// Process exit codes. The systemd units list CONFIG and AUTH in RestartPreventExitStatus: restarting
// cannot fix a bad file or a revoked token, and a restart loop would only hammer the exchange.

export const EXIT_OK = 0;
/** A fatal error, after cleanup; systemd restarts the unit. */
export const EXIT_FATAL = 1;
/** The credentials were refused (EX_NOPERM). */
export const EXIT_AUTH = 77;
/** The configuration is invalid (EX_CONFIG). */
export const EXIT_CONFIG = 78;
/** A second signal during shutdown: leave at once (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
