package io.berth.bridge.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call the bridge's HTTP endpoints ({@code POST /topics/{topic}} and the request/response
 * routes):
 *
 * <pre>
 *   file says "httpOpen": true ───────────────────────────► anyone
 *   X-API-Key: k, or Authorization: Bearer k, k in BERTH_BRIDGE_API_KEYS ► admitted
 *   Authorization: Bearer jwt, OIDC enabled, token valid ──► admitted
 *   anything else ─────────────────────────────────────────► 401
 * </pre>
 *
 * The CloudEvents endpoint ({@code io.berth.cloudevents}) admits its callers the same way.
 *
 * <p>Keys are compared by their SHA-256 digests in constant time, against every key, so neither the
 * answer's timing nor its length says how much of a key was right. Keys are never logged.
 */
public final class InboundAuth {

    private final boolean open;
    private final List<byte[]> keyDigests;
    private final boolean oidc;

    /**
     * @param open the file's {@code httpOpen}
     * @param apiKeys {@code BERTH_BRIDGE_API_KEYS}, comma-separated
     * @param oidc whether OIDC validates bearer tokens ({@code QUARKUS_OIDC_TENANT_ENABLED})
     */
    public InboundAuth(boolean open, String apiKeys, boolean oidc) {
        this.open = open;
        this.oidc = oidc;
        this.keyDigests = new ArrayList<>();
        for (String key : apiKeys == null ? new String[0] : apiKeys.split(",")) {
            if (!key.isBlank()) {
                keyDigests.add(digest(key.trim()));
            }
        }
    }

    /** Whether no caller can get in: closed, without keys nor OIDC. */
    public boolean refusesEveryone() {
        return !open && keyDigests.isEmpty() && !oidc;
    }

    boolean open() {
        return open;
    }

    int keyCount() {
        return keyDigests.size();
    }

    boolean oidc() {
        return oidc;
    }

    /** Whether the caller of {@code context} may go on; never fails. */
    public Uni<Boolean> admits(RoutingContext context) {
        if (open) {
            return Uni.createFrom().item(true);
        }
        String apiKey = context.request().getHeader("X-API-Key");
        String bearer = bearer(context.request().getHeader("Authorization"));
        if (isKey(apiKey) || isKey(bearer)) {
            return Uni.createFrom().item(true);
        }
        if (!oidc || bearer == null) {
            return Uni.createFrom().item(false);
        }
        Uni<SecurityIdentity> identity = context.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY);
        if (identity == null) {
            return Uni.createFrom().item(false);
        }
        return identity.map(found -> found != null && !found.isAnonymous())
                .onFailure().recoverWithItem(false);
    }

    private boolean isKey(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = digest(presented);
        boolean match = false;
        for (byte[] key : keyDigests) {
            match |= MessageDigest.isEqual(digest, key); // no early exit: every key is compared
        }
        return match;
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
