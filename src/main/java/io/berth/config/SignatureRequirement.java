package io.berth.config;

/**
 * {@code BERTH_RUNS_REQUIRE_SIGNATURE}: which runs must carry a valid {@code X-Port-Signature}.
 *
 * <p>Port signs every run it routes to an agent (a webhook backend with {@code agent: true}, a
 * GitLab backend) and no run of a Kafka backend. What a record says its invocation method is
 * ({@code payload.action.invocationMethod}, or a top-level {@code invocationMethod}) decides:
 *
 * <pre>
 *                        agent webhook / GitLab   Kafka     cannot tell
 *   always               signed                   signed    signed
 *   unless-kafka         signed                   either    signed        (default)
 *   agent-webhooks       signed                   either    either
 * </pre>
 *
 * Whatever the setting, a mapping-file webhook takes only signed runs.
 */
public enum SignatureRequirement {

    /** Every run: for organisations whose actions all use agent webhooks. */
    ALWAYS,

    /** Every run except those that declare the Kafka invocation method. */
    UNLESS_KAFKA,

    /**
     * Only runs that declare an agent webhook or GitLab invocation: for v2 Kafka actions whose payload
     * template leaves the invocation method out.
     */
    AGENT_WEBHOOKS
}
