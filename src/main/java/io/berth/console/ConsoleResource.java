package io.berth.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.config.MappingFileSettings;
import io.berth.config.PortSettings;
import io.berth.config.RunsConsumption;
import io.berth.handlers.JavaHandlers;
import io.berth.triggers.RunningTriggers;
import io.berth.triggers.TriggerDefinition;
import io.quarkus.runtime.LaunchMode;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The runs console: one HTML page at {@code /} (plain HTML, CSS and a little JavaScript, no build
 * chain) and the JSON it reads under {@code /console/api}. {@link ConsoleGuard} decides who gets in.
 */
@Path("/")
public final class ConsoleResource {

    private static final Pattern ACTION_TEST = Pattern.compile("identifier\\s*==\\s*\"([^\"]+)\"");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final RunJournal journal;
    private final TriggerJournal triggerJournal;
    private final RunningTriggers triggers;
    private final DeadLetterLog deadLetters;
    private final ConsumerLag lag;
    private final RunsTopicPublisher publisher;
    private final JavaHandlers handlers;
    private final MappingFileSettings mappingFile;
    private final ConsoleGuard guard;
    private final ObjectMapper mapper;
    private final String page;
    private final boolean sandbox;
    private final boolean runsConsumed;

    @Inject
    ConsoleResource(RunJournal journal, TriggerJournal triggerJournal, RunningTriggers triggers,
            DeadLetterLog deadLetters, ConsumerLag lag, RunsTopicPublisher publisher, JavaHandlers handlers,
            MappingFileSettings mappingFile, ConsoleGuard guard, ObjectMapper mapper, PortSettings port,
            @ConfigProperty(name = RunsConsumption.CHANNEL_ENABLED, defaultValue = "true") boolean runsConsumed) {
        this.journal = journal;
        this.triggerJournal = triggerJournal;
        this.triggers = triggers;
        this.deadLetters = deadLetters;
        this.lag = lag;
        this.publisher = publisher;
        this.handlers = handlers;
        this.mappingFile = mappingFile;
        this.guard = guard;
        this.mapper = mapper;
        this.page = resource("console/index.html");
        this.sandbox = port.apiBaseUrl().getPath().startsWith("/sandbox/port");
        this.runsConsumed = runsConsumed;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public String page() {
        return page;
    }

    /** Everything the page shows at load; afterwards runs come from {@link #events()}. */
    @GET
    @Path("console/api/state")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode state() {
        ObjectNode state = JSON.objectNode()
                .put("mode", LaunchMode.current().getDefaultProfile())
                .put("interactive", guard.interactive())
                .put("runsTopic", publisher.runsTopic())
                .put("runsConsumed", runsConsumed)
                .put("deadLetterTopic", deadLetters.topic())
                .put("sandbox", sandbox);
        ArrayNode actions = state.putArray("actions");
        handlers.actions().forEach((action, handler) -> actions.addObject().put("action", action)
                .put("kind", "java").put("handler", handler));
        mappings(actions);
        journal.recent().forEach(state.putArray("runs")::add);
        deadLetters.recent().forEach(state.putArray("deadLetters")::add);
        state.set("triggers", triggers());
        return state;
    }

    /**
     * Each trigger of {@code BERTH_TRIGGERS_PATH}: what it consumes and fires, how it is doing, and
     * the records it fired recently (newest first).
     */
    @GET
    @Path("console/api/triggers")
    @Produces(MediaType.APPLICATION_JSON)
    public ArrayNode triggers() {
        ArrayNode all = JSON.arrayNode();
        for (RunningTriggers.TriggerStatus status : triggers.statuses()) {
            TriggerDefinition trigger = status.definition();
            ObjectNode row = all.addObject().put("id", trigger.id()).put("topic", trigger.topic())
                    .put("group", trigger.consumerGroup()).put("targetKind", trigger.target().kind())
                    .put("target", trigger.target().describe()).put("ordering", trigger.ordering().name().toLowerCase(Locale.ROOT))
                    .put("maxInFlight", trigger.maxInFlight()).put("inFlight", status.inFlight())
                    .put("joined", status.joined()).put("assignedPartitions", status.assignedPartitions())
                    .put("pushed", status.pushed())
                    .put("deadLetterTopic", trigger.deadLetterTopic());
            triggerJournal.recent(trigger.id()).forEach(row.putArray("recent")::add);
        }
        return all;
    }

    @GET
    @Path("console/api/dead-letters")
    @Produces(MediaType.APPLICATION_JSON)
    public ArrayNode deadLetters() {
        ArrayNode all = JSON.arrayNode();
        deadLetters.recent().forEach(all::add);
        return all;
    }

    @GET
    @Path("console/api/lag")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode lag() {
        if (!runsConsumed) {
            return JSON.objectNode().put("error", "Berth runs triggers alone: it does not consume the runs topic "
                    + "(BERTH_RUNS_ENABLED)");
        }
        return lag.now();
    }

    /**
     * Server-sent events: one per change of a run, the run's whole snapshot. A slow page gets a
     * bounded buffer; past it the stream ends, and the page reconnects and reloads the state.
     */
    @GET
    @Path("console/api/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ObjectNode> events() {
        return journal.changes().onOverflow().buffer(1024);
    }

    /** Publishes a run as Port would: {@code {action, inputs, entity?, blueprint?}}. */
    @POST
    @Path("console/api/runs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response trigger(JsonNode request) {
        String action = request == null ? "" : request.path("action").asText("").trim();
        if (action.isEmpty()) {
            return problem("Choose an action to run.");
        }
        JsonNode inputs = request.path("inputs");
        if (!inputs.isMissingNode() && !inputs.isNull() && !inputs.isObject()) {
            return problem("Inputs must be a JSON object, such as {\"name\": \"Ada\"}.");
        }
        String entity = request.path("entity").asText("").trim();
        boolean java = handlers.route(action).isPresent();
        var trigger = new RunsTopicPublisher.Trigger(action, inputs.isObject() ? (ObjectNode) inputs : null,
                entity.isEmpty() ? null : entity, request.path("blueprint").asText(null), !java,
                "console@localhost");
        String runId;
        try {
            runId = publisher.trigger(trigger);
        } catch (IllegalStateException kafkaUnavailable) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON)
                    .entity(JSON.objectNode().put("message", kafkaUnavailable.getMessage())).build();
        }
        journal.queued(runId, action);
        return Response.accepted(JSON.objectNode().put("runId", runId)).build();
    }

    @POST
    @Path("console/api/dead-letters/{partition}/{offset}/replay")
    @Produces(MediaType.APPLICATION_JSON)
    public Response replay(@PathParam("partition") int partition, @PathParam("offset") long offset) {
        Optional<DeadLetterLog.DeadLetter> letter = deadLetters.find(partition, offset);
        if (letter.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).entity(JSON.objectNode()
                    .put("message", "No dead letter at partition " + partition + ", offset " + offset)).build();
        }
        if (letter.get().value() == null) {
            return problem("This dead letter's value is too large or empty to replay from the console.");
        }
        publisher.republish(letter.get().key(), letter.get().value());
        return Response.accepted(JSON.objectNode().put("replayedTo", publisher.runsTopic())).build();
    }

    /** The mapping file's entries, with the action each tests for when it says so plainly. */
    private void mappings(ArrayNode actions) {
        Optional<String> path = mappingFile.configPath();
        if (path.isEmpty()) {
            return;
        }
        try {
            JsonNode entries = mapper.readTree(Files.readString(java.nio.file.Path.of(path.get()), StandardCharsets.UTF_8));
            for (int i = 0; entries != null && i < entries.size(); i++) {
                String enabled = entries.get(i).path("enabled").asText("true");
                Matcher matcher = ACTION_TEST.matcher(enabled);
                actions.addObject().put("action", matcher.find() ? matcher.group(1) : "")
                        .put("kind", "mapping").put("handler", "mapping#" + i).put("enabled", enabled)
                        .put("url", entries.get(i).path("url").asText(""));
            }
        } catch (IOException e) {
            actions.addObject().put("kind", "mapping").put("error", "Cannot read " + path.get() + ": " + e.getMessage());
        }
    }

    private static Response problem(String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(JSON.objectNode().put("message", message)).build();
    }

    private static String resource(String name) {
        try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
