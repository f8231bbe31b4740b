/**
 * The runs console at {@code /}: actions, a trigger form, live runs, dead letters with replay and
 * consumer lag. Read-only in production, guarded by a token beyond localhost; disabled with
 * {@code BERTH_CONSOLE_ENABLED=false}.
 */
package io.berth.console;
