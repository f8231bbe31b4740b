/**
 * The {@code scaffold_service} handler of the Port POC, and a template for a handler of one's own: it
 * copies a template directory into a new Git repository (the service name substituted), pushes the
 * initial commit to the configured remote and records the {@code service} entity in Port. Inactive
 * unless {@code BERTH_SCAFFOLD_REMOTE_URL} and {@code BERTH_SCAFFOLD_TEMPLATE_DIR} are set; JGit is
 * touched only by {@link io.berth.handlers.scaffold.GitRepository}, on a run's first push, so an
 * inactive handler loads none of it.
 */
package io.berth.handlers.scaffold;
