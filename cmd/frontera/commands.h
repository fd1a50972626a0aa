/* commands.h: the frontera program's subcommands, one X line each.
 * X(name, function, one-line summary). Each function lives in its own file
 * cmd/frontera/cmd_<name>.c with the signature
 *     int cmd_<name>(int argc, char **argv);   (argv[0] is the subcommand)
 * and returns the process exit code (0 ok, 1 finding/refusal, 2 usage). Each
 * must answer --help with its usage on stdout and exit 0. */
#ifndef FR_CMD_COMMANDS_H
#define FR_CMD_COMMANDS_H

#define FR_COMMANDS(X)                                                         \
    X(countries, cmd_countries, "list or look up ICAO 9303 country and organisation codes")

#define FR_X_DECL(name, fn, summary) int fn(int argc, char **argv);
FR_COMMANDS(FR_X_DECL)
#undef FR_X_DECL

#endif
