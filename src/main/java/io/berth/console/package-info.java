/**
 * The runs console at {@code /}: actions, a trigger form, live runs, dead letters with replay,
 * consumer lag, and the topic triggers with the records each fired. Read-only in production,
 * guarded by a token beyond localhost; disabled with {@code BERTH_CONSOLE_ENABLED=false}.
 */
package io.berth.console;
