package io.berth.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.berth.runs.RunContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

class JavaHandlersTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aHandlerWithoutItsConfigurationIsNotOfferedAndSaysWhy() {
        JavaHandlers handlers = new JavaHandlers(List.of(new Reactive("deploy_service", "BERTH_DEPLOY_URL is not set")),
                List.of(new Blocking("create_database", null)), TIMEOUT);

        assertThat(handlers.route("deploy_service")).isEmpty();
        assertThat(handlers.route("create_database")).isPresent();
        assertThat(handlers.actions()).containsOnlyKeys("create_database");
        assertThat(handlers.inactive()).containsExactly(
                entry("java:Reactive", "BERTH_DEPLOY_URL is not set"));
    }

    @Test
    void anInactiveHandlerDoesNotClaimItsActions() {
        JavaHandlers handlers = new JavaHandlers(List.of(new Reactive("scale_service", "not configured")),
                List.of(new Blocking("scale_service", null)), TIMEOUT);

        assertThat(handlers.route("scale_service")).hasValueSatisfying(
                route -> assertThat(route.name()).isEqualTo("java:Blocking"));
    }

    @Test
    void twoActiveHandlersClaimingOneActionStopStartUp() {
        assertThatThrownBy(() -> new JavaHandlers(List.of(new Reactive("scale_service", null)),
                List.of(new Blocking("scale_service", null)), TIMEOUT))
                .hasMessageContaining("'scale_service' is claimed by two handlers");
    }

    @Test
    void aHandlerMarkedOfferedWhenSetIsNotMadeWhileNoneOfItsPropertiesIsSet() {
        JavaHandlers handlers = new JavaHandlers(List.of(), List.of(neverMade(Scale.class), neverMade(Deploy.class)),
                TIMEOUT, property -> false);

        assertThat(handlers.actions()).isEmpty();
        assertThat(handlers.inactive()).containsExactly(
                entry("java:Deploy", "none of BERTH_DEPLOY_GITHUB_REPOSITORY, BERTH_DEPLOY_GITLAB_PROJECT, "
                        + "BERTH_DEPLOY_ARGOCD_URL is set"),
                entry("java:Scale", "BERTH_SCALE_NAMESPACES is not set"));
        assertThat(handlers.settingsProblems()).isEmpty();
    }

    @Test
    void aHandlerMarkedOfferedWhenSetIsMadeOnceOneOfItsPropertiesIsSetAndAskedAsAnyOther() {
        JavaHandlers handlers = new JavaHandlers(List.of(),
                List.of(new JavaHandlers.Candidate<>(Deploy.class, Deploy::new)), TIMEOUT,
                "berth.deploy.gitlab.project"::equals);

        assertThat(handlers.route("deploy_service")).hasValueSatisfying(
                route -> assertThat(route.name()).isEqualTo("java:Deploy"));
        assertThat(handlers.settingsProblems()).containsExactly("BERTH_DEPLOY_GITLAB_TOKEN is not set");
    }

    @Test
    void aHandlerWithoutTheMarkIsAlwaysMadeAndSaysItselfWhetherItIsOffered() {
        JavaHandlers handlers = new JavaHandlers(List.of(),
                List.of(new JavaHandlers.Candidate<>(Blocking.class, () -> new Blocking("create_database", "not mine"))),
                TIMEOUT, property -> false);

        assertThat(handlers.inactive()).containsExactly(entry("java:Blocking", "not mine"));
    }

    @Test
    void theReasonNamesTheVariablesOfBothPropertiesOfATwoPropertyMark() {
        assertThat(HandlerOffer.notOffered(Scaffold.class, property -> false))
                .hasValue("BERTH_SCAFFOLD_REMOTE_URL and BERTH_SCAFFOLD_TEMPLATE_DIR are not set");
        assertThat(HandlerOffer.notOffered(Scaffold.class, "berth.scaffold.template-dir"::equals)).isEmpty();
    }

    private static JavaHandlers.Candidate<BlockingActionHandler> neverMade(Class<?> type) {
        return new JavaHandlers.Candidate<>(type, () -> {
            throw new AssertionError(type.getSimpleName() + " was made while it is not offered");
        });
    }

    @Test
    void aCancelledBlockingRunInterruptsItsHandler() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        JavaHandlers handlers = new JavaHandlers(List.of(), List.of(new BlockingActionHandler() {
            @Override
            public Set<String> actions() {
                return Set.of("scale_service");
            }

            @Override
            public RunResult handle(RunContext run) {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException stopped) {
                    interrupted.countDown();
                }
                return RunResult.success();
            }
        }), TIMEOUT);

        Cancellable run = handlers.route("scale_service").orElseThrow().run(null).subscribe().with(result -> { });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        run.cancel();

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("the handler's thread was interrupted").isTrue();
    }

    private record Reactive(String action, String reason) implements ActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of(action);
        }

        @Override
        public Optional<String> inactiveReason() {
            return Optional.ofNullable(reason);
        }

        @Override
        public Uni<RunResult> handle(RunContext run) {
            return Uni.createFrom().item(RunResult.success());
        }
    }

    private record Blocking(String action, String reason) implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of(action);
        }

        @Override
        public Optional<String> inactiveReason() {
            return Optional.ofNullable(reason);
        }

        @Override
        public RunResult handle(RunContext run) {
            return RunResult.success();
        }
    }

    @OfferedWhenSet({ "berth.scale.namespaces" })
    private static final class Scale extends Marked {
    }

    @OfferedWhenSet({ "berth.scaffold.remote-url", "berth.scaffold.template-dir" })
    private static final class Scaffold extends Marked {
    }

    @OfferedWhenSet({ "berth.deploy.github.repository", "berth.deploy.gitlab.project", "berth.deploy.argocd.url" })
    private static final class Deploy extends Marked {
        @Override
        public Set<String> actions() {
            return Set.of("deploy_service");
        }

        @Override
        public List<String> settingsProblems() {
            return List.of("BERTH_DEPLOY_GITLAB_TOKEN is not set");
        }
    }

    private abstract static class Marked implements BlockingActionHandler {
        @Override
        public Set<String> actions() {
            return Set.of("unused");
        }

        @Override
        public RunResult handle(RunContext run) {
            return RunResult.success();
        }
    }
}
