package io.berth.examples;

import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.ActionHandler;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * EXAMPLE handler, present in dev mode only: shows the shape of a non-blocking Java handler. It
 * greets {@code inputs.name}, records a {@code greeting} entity tied to the run, and succeeds.
 * Copy it, rename it, give it your action identifier.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public final class HelloWorld implements ActionHandler {

    @Override
    public Set<String> actions() {
        return Set.of("hello_world");
    }

    @Override
    public Uni<RunResult> handle(RunContext run) {
        String name = run.inputs().path("name").asText("world");
        run.log("Hello, " + name + "!");
        run.log("Triggered by " + run.triggeredBy().orElse("someone") + " with inputs " + run.inputs());
        ObjectNode entity = JsonNodeFactory.instance.objectNode()
                .put("identifier", "greeting-" + name.toLowerCase().replaceAll("[^a-z0-9-]", "-"))
                .put("title", "Greeting for " + name);
        entity.putObject("properties").put("message", "Hello, " + name + "!");
        return run.upsertEntity("greeting", entity)
                .invoke(() -> run.log("Recorded the greeting entity"))
                .replaceWith(RunResult.success("Greeted " + name));
    }
}
