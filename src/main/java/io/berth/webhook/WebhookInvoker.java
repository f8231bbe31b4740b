package io.berth.webhook;

import static io.berth.delivery.ControlCharacters.escape;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.berth.config.BerthSettings;
import io.berth.config.CommandMode;
import io.berth.config.MappingFileSettings;
import io.berth.config.PortSettings;
import io.berth.config.Secret;
import io.berth.config.WebhookSettings;
import io.berth.handlers.RunResult;
import io.berth.outbound.Outbound;
import io.berth.publish.KafkaPublisher;
import io.berth.publish.PublishFailedException;
import io.berth.retry.RetryPolicy;
import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * port-agent's webhook invoker: the mapping file decides which runs are this executor's and what
 * request each makes; the webhook's answer decides what is reported to Port.
 *
 * <pre>
 *   route(message) ── first mapping enabled for it ──▶ WebhookRoute   (none: not ours, leave it)
 *   invoke(route, run):
 *     copy message ─▶ decrypt fieldsToDecryptPaths ─▶ prepare request ─▶ send (retries; each attempt
 *       follows redirects, reads at most the answer cap, ends within WEBHOOK_INVOKER_TIMEOUT)
 *       ─▶ synchronized: run.respond(answer); a success carries {response: {status, data}}, the
 *          output a workflow node run ends with
 *       ─▶ report: link, externalRunId, statusLabel ─▶ RunResult (success / failure / left open)
 *     or, for a kafka entry: copy ─▶ decrypt ─▶ evaluate topic, key, headers, value ─▶ KafkaPublisher
 *       ─▶ acknowledged: log topic, partition, offset ─▶ success   (invalid value, registry down: failure)
 *   all of it within BERTH_RUNS_HANDLER_TIMEOUT, or the run fails
 * </pre>
 *
 * The mapping file is read at bean creation: a bad file stops start-up with an
 * {@link InvalidMappingFileException} naming the entry and field.
 */
// Not final: a normal-scoped bean is reached through a client proxy, which subclasses it.
@ApplicationScoped
@Startup // a mapping file that does not load stops start-up, not the first run
public class WebhookInvoker {

    private static final Logger LOG = Logger.getLogger(WebhookInvoker.class);

    private final MappingFile mappings;
    private final WebhookSender sender;
    private final KafkaPublisher publisher;
    private final Optional<Secret> clientSecret;

    private final Duration handlerTimeout;

    @Inject
    WebhookInvoker(Vertx vertx, MappingFileSettings mappingFile, WebhookSettings webhook, BerthSettings berth,
            PortSettings port, KafkaPublisher publisher, Outbound outbound) {
        this(mappingFile(mappingFile, berth),
                new WebhookSender(
                        WebhookSender.httpClient(vertx, webhook.verifySsl(), berth.runs().concurrency(),
                                webhook.invokerTimeout(), outbound),
                        outbound.proxies(),
                        new WebhookLimits(webhook.invokerTimeout(), berth.webhook().maxAnswerBytes(),
                                berth.webhook().maxRedirects()),
                        RetryPolicy.of(berth.webhook().retry()), port.clientSecret().filter(s -> !s.isBlank())),
                publisher,
                port.clientSecret().filter(s -> !s.isBlank()),
                berth.runs().handlerTimeout());
    }

    private static MappingFile mappingFile(MappingFileSettings mappingFile, BerthSettings berth) {
        try {
            return mappingFile.configPath()
                    .map(path -> MappingFile.load(Path.of(path), Jq.withSystemEnvironment(berth.mapping().envAllow())))
                    .orElseGet(MappingFile::empty);
        } catch (InvalidMappingFileException e) {
            if (CommandMode.active()) {
                return MappingFile.empty(); // validate reports it (MappingFileReport) and checks the rest
            }
            throw e;
        }
    }

    /** Without Kafka publishing: a {@code kafka} entry's run fails saying so. */
    WebhookInvoker(MappingFile mappings, WebhookSender sender, Optional<Secret> clientSecret, Duration handlerTimeout) {
        this(mappings, sender, publication -> Uni.createFrom().failure(
                new PublishFailedException("Kafka publishing is not available here")), clientSecret, handlerTimeout);
    }

    /** @param handlerTimeout bounds a whole run, every attempt included ({@code BERTH_RUNS_HANDLER_TIMEOUT}) */
    WebhookInvoker(MappingFile mappings, WebhookSender sender, KafkaPublisher publisher, Optional<Secret> clientSecret,
            Duration handlerTimeout) {
        this.mappings = Objects.requireNonNull(mappings, "mappings");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
        this.handlerTimeout = Objects.requireNonNull(handlerTimeout, "handlerTimeout");
        if (!mappings.mappings().isEmpty()) {
            LOG.infof("Webhook invoker: %d mapping(s) from %s", mappings.mappings().size(), mappings.source());
        }
    }

    /** Whether a mapping file is configured with at least one mapping. */
    public boolean hasMappings() {
        return !mappings.mappings().isEmpty();
    }

    /**
     * The first mapping whose {@code enabled} is true or yields true on {@code message} (with the
     * signature keys already removed). Empty: the run is not this executor's; leave it alone.
     */
    public Optional<WebhookRoute> route(JsonNode message) {
        Objects.requireNonNull(message, "message");
        return mappings.match(message).map(WebhookRoute::new);
    }

    /**
     * Runs one action run through its webhook and reports as port-agent does. Never fails: see the
     * result. A run still going after {@code BERTH_RUNS_HANDLER_TIMEOUT} (retries, redirects, the
     * answer's report) is cancelled, its request in flight reset, and fails.
     */
    public Uni<RunResult> invoke(WebhookRoute route, RunContext run) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(run, "run");
        return run(route.mapping(), run)
                .ifNoItem().after(handlerTimeout).recoverWithItem(() -> {
                    String reason = route + " did not finish within " + handlerTimeout.toMillis()
                            + " ms (BERTH_RUNS_HANDLER_TIMEOUT)";
                    run.log(reason);
                    return RunResult.failure(reason);
                });
    }

    private Uni<RunResult> run(Mapping mapping, RunContext run) {
        return Uni.createFrom().deferred(() -> {
            // A copy only where the message is changed: decrypted in place, or published to Kafka.
            JsonNode message = mapping.fieldsToDecryptPaths().isEmpty() && mapping.kafka().isEmpty()
                    ? run.message() : run.message().deepCopy();
            Optional<String> undecryptable = decrypt(mapping, message);
            if (undecryptable.isPresent()) {
                run.log(undecryptable.get());
                return Uni.createFrom().item(RunResult.failure(undecryptable.get()));
            }
            if (mapping.kafka().isPresent()) {
                return publish(mapping.kafka().get(), run, message);
            }
            WebhookRequest request = WebhookRequest.prepare(mapping, message);
            return sender.send(request, run.runId())
                    .onItem().transformToUni(response -> answered(mapping, run, message, request, response))
                    .onFailure(WebhookUnreachableException.class).recoverWithItem(failure -> {
                        run.log(failure.getMessage());
                        return RunResult.failure(failure.getMessage());
                    });
        });
    }

    /** A {@code kafka} entry: SUCCESS once the broker acknowledged, with topic, partition and offset in the log. */
    private Uni<RunResult> publish(KafkaTarget target, RunContext run, JsonNode message) {
        return Uni.createFrom().deferred(() -> publisher.publish(target.prepare(message, run.runId())))
                .onItem().transform(published -> {
                    run.log(published.describe());
                    return RunResult.success(published.describe());
                })
                .onFailure(PublishFailedException.class).recoverWithItem(failure -> {
                    run.log(failure.getMessage());
                    return RunResult.failure(failure.getMessage());
                });
    }

    /**
     * Sends a message that is not a run (a change-log event): no run id, no report. Fails with
     * {@link WebhookUnreachableException} when the webhook never answered, or with an
     * {@link IllegalStateException} when an input cannot be decrypted.
     *
     * @param idempotencyKey sent as {@code Idempotency-Key} unless the mapping sets one (null: none)
     */
    public Uni<WebhookResponse> send(WebhookRoute route, JsonNode message, String idempotencyKey) {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(message, "message");
        return Uni.createFrom().deferred(() -> {
            if (route.mapping().kafka().isPresent()) {
                return Uni.createFrom().failure(new IllegalStateException(route
                        + " publishes runs to Kafka: it does not take change-log events"));
            }
            JsonNode copy = message.deepCopy();
            Optional<String> undecryptable = decrypt(route.mapping(), copy);
            if (undecryptable.isPresent()) {
                return Uni.createFrom().failure(new IllegalStateException(undecryptable.get()));
            }
            WebhookRequest request = WebhookRequest.prepare(route.mapping(), copy);
            return sender.send(request, idempotencyKey).invoke(response -> LOG.infof("%s", line(request, response)));
        });
    }

    /** Decrypts in place; the reason when one path cannot be decrypted. */
    private Optional<String> decrypt(Mapping mapping, JsonNode message) {
        List<String> paths = mapping.fieldsToDecryptPaths();
        if (paths.isEmpty()) {
            return Optional.empty();
        }
        if (clientSecret.isEmpty()) {
            return Optional.of("Cannot decrypt " + String.join(", ", paths) + ": PORT_CLIENT_SECRET is not set");
        }
        try {
            new InputDecryptor(clientSecret.get()).decrypt(message, paths);
            return Optional.empty();
        } catch (InputDecryptor.DecryptionException e) {
            return Optional.of(e.getMessage());
        } catch (IllegalArgumentException shortSecret) {
            return Optional.of("Cannot decrypt " + String.join(", ", paths) + ": " + shortSecret.getMessage());
        }
    }

    private Uni<RunResult> answered(Mapping mapping, RunContext run, JsonNode message, WebhookRequest request,
            WebhookResponse response) {
        run.log(line(request, response));
        if (response.truncated()) {
            // Half a document is not the run's response, and Port would refuse it whole (1 MiB bodies).
            run.log("The webhook's answer was truncated at " + sender.limits().maxAnswerBytes()
                    + " bytes (BERTH_WEBHOOK_MAX_ANSWER_BYTES): the rest was not read, the answer is not"
                    + " reported as the run's response; the report sees response.text cut there,"
                    + " response.json null and response.truncated true");
        }
        boolean sync = Truthiness.of(WebhookRequest.invocationMethod(message).get("synchronized"));
        Uni<Void> responded = Uni.createFrom().voidItem();
        // port-agent reports the answer of a synchronized webhook only when it is not empty.
        if (sync && !response.truncated() && Truthiness.of(response.bodyForPort())) {
            responded = run.respond(response.bodyForPort())
                    .onFailure().recoverWithUni(failure -> {
                        LOG.warnf("Run %s: the webhook's answer could not be reported to Port (%s)", escape(run.runId()),
                                failure.getClass().getSimpleName());
                        run.log("The webhook's answer could not be reported to Port");
                        return Uni.createFrom().voidItem();
                    });
        }
        return responded.onItem().transform(ignored -> result(RunReport.prepare(mapping, message, request, response),
                run, response, sync));
    }

    private static RunResult result(RunReport report, RunContext run, WebhookResponse response, boolean sync) {
        if (!report.links().isEmpty()) {
            run.link(report.links());
        }
        if (report.externalRunId() != null) {
            run.externalRunId(report.externalRunId());
        }
        if (report.statusLabel() != null) {
            run.statusLabel(report.statusLabel());
        }
        if (RunReport.SUCCESS.equals(report.status())) {
            return sync ? RunResult.success(report.summary(), response.asNodeOutput())
                    : RunResult.success(report.summary());
        }
        if (RunReport.FAILURE.equals(report.status())) {
            return RunResult.failure(report.summary() != null ? report.summary()
                    : response.ok() ? "The webhook answered " + response.statusCode() + " and the mapping reported FAILURE"
                    : RunReport.failureSummary(response.statusCode()));
        }
        if (report.summary() != null) {
            // Port keeps a summary only with a status; an open run shows it in its log instead.
            run.log(report.summary());
        }
        return RunResult.leftOpen();
    }

    private static String line(WebhookRequest request, WebhookResponse response) {
        return "Webhook " + request.method() + " " + request.safeUrl() + " answered " + response.statusCode()
                + " in " + response.elapsed().toMillis() + " ms"
                + (response.redirects() > 0 ? " after " + response.redirects()
                        + (response.redirects() == 1 ? " redirect" : " redirects") : "")
                + (response.attempts() > 1 ? " (" + response.attempts() + " attempts)" : "")
                + (response.truncated() ? " (answer truncated)" : "");
    }
}
