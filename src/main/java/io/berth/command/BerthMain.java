package io.berth.command;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.berth.config.CommandMode;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The jar's entry point. No argument: the service, exactly as Quarkus's generated main runs it.
 * {@code validate} or {@code list}: that command, in {@link CommandMode} (nothing consumes, no HTTP
 * port), its output on stdout, then exit: {@code validate} with 1 when a check failed, 2 for an
 * unknown command.
 */
@QuarkusMain
public final class BerthMain {

    static final String USAGE = "usage: java -jar quarkus-run.jar [validate | list]   (no argument: run Berth)";

    /** Not for instances: Quarkus makes a bean of a {@code @QuarkusMain} class, and a private constructor costs it reflection. */
    BerthMain() {
    }

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run(args);
            return;
        }
        if (args.length > 1 || !List.of("validate", "list").contains(args[0])) {
            System.err.println("Unknown command " + String.join(" ", args) + "\n" + USAGE);
            System.exit(2);
        }
        CommandMode.enter(args[0], System.getenv());
        Quarkus.run(Command.class, BerthMain::exit, args);
    }

    /** Quarkus's exit, or a start-up that failed: then its reasons are the command's FAIL lines. */
    private static void exit(int status, Throwable failure) {
        if (failure != null) {
            String message = String.valueOf(reason(failure).getMessage()).replaceFirst("^Berth cannot start:\\s*", "");
            for (String reason : message.split("\\R\\s*-\\s*")) {
                System.out.println(Check.fail("start-up", reason.replaceFirst("^-\\s*", "")).line());
            }
            System.out.println("Berth could not start, so the other checks did not run: fix the above first");
        }
        System.out.flush();
        System.exit(failure != null && status == 0 ? 1 : status);
    }

    /** The deepest cause with a message: Berth's own refusal, not Quarkus's "Failed to start quarkus". */
    private static Throwable reason(Throwable failure) {
        Throwable reason = failure;
        for (Throwable cause = failure.getCause(); cause != null && cause != reason; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                reason = cause;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return reason;
    }

    /** Runs the command once Berth's beans are up. */
    public static final class Command implements QuarkusApplication {

        @Override
        public int run(String... args) {
            // UTF-8 whatever the locale (a container's is often POSIX): messages name the Kafka → HTTP bridge.
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            if (args[0].equals("list")) {
                Arc.container().instance(ListCommand.class).get().run().forEach(served -> out.println(served.line()));
                return 0;
            }
            List<Check> checks = Arc.container().instance(ValidateCommand.class).get().run();
            checks.forEach(check -> out.println(check.line()));
            long failed = checks.stream().filter(check -> !check.ok()).count();
            out.println(failed == 0 ? "valid: " + checks.size() + " checks passed"
                    : "invalid: " + failed + " of " + checks.size() + " checks failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
