package io.berth.handlers.scaffold;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.handlers.BlockingActionHandler;
import io.berth.handlers.OfferedWhenSet;
import io.berth.handlers.RunResult;
import io.berth.runs.RunContext;
import jakarta.inject.Singleton;

/**
 * {@code scaffold_service}: a new service repository from the template, pushed to the remote, and
 * its {@code service} entity in Port (tied to the run, linked to the repository).
 *
 * <pre>
 * name valid? ─no─► FAILURE (what a valid name looks like)
 *   copy template ─► commit ─► push ─► link ─► upsert entity ─► SUCCESS
 *   any failure: remove the pushed branch (if pushed) ─► FAILURE; the working copy is always removed
 * </pre>
 *
 * Inputs: {@code name} (required), {@code description} (optional, for {@code {{description}}}).
 */
@Singleton // no client proxy: one class fewer loaded while it is not offered
@OfferedWhenSet({ "berth.scaffold.remote-url", "berth.scaffold.template-dir" })
public class ScaffoldService implements BlockingActionHandler {

    private static final Logger LOG = Logger.getLogger(ScaffoldService.class);

    private final ScaffoldSettings settings;

    ScaffoldService(ScaffoldSettings settings) {
        this.settings = settings;
    }

    @Override
    public Optional<String> inactiveReason() {
        return ScaffoldSettingsCheck.inactiveReason(settings);
    }

    @Override
    public List<String> settingsProblems() {
        return ScaffoldSettingsCheck.problems(settings);
    }

    @Override
    public Set<String> actions() {
        return Set.of("scaffold_service");
    }

    @Override
    public RunResult handle(RunContext run) throws Exception {
        String name = run.inputs().path("name").asText("").trim();
        Optional<String> invalid = RepositoryName.problem(name);
        if (invalid.isPresent()) {
            return RunResult.failure(invalid.get());
        }
        String remote = settings.remoteUrl().orElseThrow().replace(ScaffoldSettings.NAME, name);
        String web = settings.webUrl().map(url -> url.replace(ScaffoldSettings.NAME, name))
                .orElse(remote.replaceFirst("\\.git$", ""));
        Path workTree = workDir().resolve(run.runId().replaceAll("[^A-Za-z0-9_-]", "_") + "-" + name);
        try {
            return scaffold(run, name, remote, web, workTree);
        } finally {
            removeTree(workTree);
        }
    }

    private RunResult scaffold(RunContext run, String name, String remote, String web, Path workTree)
            throws Exception {
        run.progress(10, "Copying template " + settings.templateDir().orElseThrow().getFileName() + " for " + name);
        String description = run.inputs().path("description").asText("");
        int files = new TemplateCopy(Map.of("{{service_name}}", name, "{{description}}", description))
                .copy(settings.templateDir().orElseThrow(), workTree);
        stopIfInterrupted();
        run.progress(30, "Committing " + files + " files on " + settings.branch());
        String email = run.triggeredBy().orElse(settings.authorEmail());
        String author = run.triggeredBy().map(by -> by.replaceFirst("@.*", "")).orElse(settings.authorName());
        try (GitRepository repository = GitRepository.commitAll(workTree, settings, author, email,
                "Scaffold " + name + " from the service template\n\nPort run " + run.runId())) {
            String commit = repository.head();
            stopIfInterrupted();
            run.progress(50, "Pushing " + commit + " to " + remote);
            try {
                repository.push(remote);
            } catch (GitRepository.Refused refused) {
                return RunResult.failure(refused.getMessage());
            }
            try {
                stopIfInterrupted();
                run.link(List.of(web));
                run.progress(80, "Recording the " + settings.blueprint() + " entity " + name);
                run.upsertEntity(settings.blueprint(), entity(name, web)).await().indefinitely();
            } catch (Exception | Error failure) {
                throw new IllegalStateException(failure.getMessage() + removeBranch(repository, remote), failure);
            }
            run.progress(100, "Created " + name + " at " + web);
            return RunResult.success("Created repository " + name + " (" + commit + ") at " + web);
        }
    }

    /** Undoes the push; says in the failure what happened to the branch. */
    private String removeBranch(GitRepository repository, String remote) {
        // Interrupted (timeout, shutdown): clean up all the same, then keep the interruption.
        boolean interrupted = Thread.interrupted();
        try {
            repository.removeBranch(remote);
            return "; removed branch " + settings.branch() + " from " + remote + " again";
        } catch (Exception e) {
            LOG.warnf("Could not remove branch %s from %s after a failed scaffold: %s", settings.branch(), remote,
                    e.getMessage());
            return "; branch " + settings.branch() + " stays on " + remote + " (" + e.getMessage()
                    + "): remove it by hand";
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ObjectNode entity(String name, String web) {
        ObjectNode entity = JsonNodeFactory.instance.objectNode().put("identifier", name).put("title", name);
        entity.putObject("properties").put("url", web);
        return entity;
    }

    private Path workDir() throws IOException {
        Path dir = settings.workDir().orElse(Path.of(System.getProperty("java.io.tmpdir"), "berth-scaffold"));
        return Files.createDirectories(dir);
    }

    private static void stopIfInterrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("scaffold_service was interrupted (timeout or shutdown)");
        }
    }

    private static void removeTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            LOG.warnf("Could not remove the working copy %s: %s", root, e.getMessage());
        }
    }
}
