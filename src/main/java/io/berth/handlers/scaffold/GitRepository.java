package io.berth.handlers.scaffold;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

import io.berth.config.Secret;

/**
 * The one class that uses JGit: a new repository in a working tree, its initial commit, the push of
 * that commit's branch and, when a scaffold fails after it, the removal of the pushed branch. The
 * token travels only in a {@link CredentialsProvider}, never in a URL, so it is in no message.
 */
final class GitRepository implements AutoCloseable {

    /** The remote refused the push or the removal; the message says why and what to do. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private final Git git;
    private final String ref;
    private final CredentialsProvider credentials;
    private final int timeoutSeconds;

    private GitRepository(Git git, String branch, CredentialsProvider credentials, int timeoutSeconds) {
        this.git = git;
        this.ref = "refs/heads/" + branch;
        this.credentials = credentials;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Makes {@code workTree} a repository on {@code branch} and commits every file in it. */
    static GitRepository commitAll(Path workTree, ScaffoldSettings settings, String authorName, String authorEmail,
            String message) throws GitAPIException {
        Git git = Git.init().setDirectory(workTree.toFile()).setInitialBranch(settings.branch()).call();
        Optional<Secret> token = settings.token();
        CredentialsProvider credentials = token
                .map(secret -> new UsernamePasswordCredentialsProvider(settings.username(), secret.reveal()))
                .orElse(null);
        GitRepository repository = new GitRepository(git, settings.branch(), credentials, settings.pushTimeoutSeconds());
        try {
            git.add().addFilepattern(".").call();
            PersonIdent author = new PersonIdent(authorName, authorEmail);
            git.commit().setAuthor(author).setCommitter(author).setMessage(message).setSign(false)
                    .setNoVerify(true).call();
        } catch (GitAPIException | RuntimeException e) {
            repository.close();
            throw e;
        }
        return repository;
    }

    /** The initial commit's abbreviated id. */
    String head() throws IOException {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit commit = walk.parseCommit(git.getRepository().resolve(ref));
            return commit.abbreviate(7).name();
        }
    }

    /** Pushes the branch to {@code remote}; a remote that already has the branch refuses it. */
    void push(String remote) throws GitAPIException, Refused {
        check(remote, git.push().setRemote(remote).setRefSpecs(new RefSpec(ref + ":" + ref))
                .setCredentialsProvider(credentials).setTimeout(timeoutSeconds).call(), false);
    }

    /** Removes the branch this repository pushed from {@code remote}. */
    void removeBranch(String remote) throws GitAPIException, Refused {
        check(remote, git.push().setRemote(remote).setRefSpecs(new RefSpec(":" + ref))
                .setCredentialsProvider(credentials).setTimeout(timeoutSeconds).call(), true);
    }

    private void check(String remote, Iterable<PushResult> results, boolean removal) throws Refused {
        for (PushResult result : results) {
            RemoteRefUpdate update = result.getRemoteUpdate(ref);
            if (update != null && update.getStatus() != RemoteRefUpdate.Status.OK) {
                throw new Refused(refusal(remote, update, removal));
            }
        }
    }

    private String refusal(String remote, RemoteRefUpdate update, boolean removal) {
        String branch = ref.substring("refs/heads/".length());
        if (!removal && (update.getStatus() == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD
                || update.getStatus() == RemoteRefUpdate.Status.UP_TO_DATE)) {
            return remote + " already has branch " + branch + ": the repository is not new. Choose another name, "
                    + "or empty that repository first";
        }
        String detail = update.getMessage() == null ? "" : " (" + update.getMessage() + ")";
        return remote + " refused to " + (removal ? "remove" : "take") + " branch " + branch + ": "
                + update.getStatus() + detail;
    }

    @Override
    public void close() {
        git.close();
    }
}
