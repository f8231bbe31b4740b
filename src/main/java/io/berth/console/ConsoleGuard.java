package io.berth.console;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Who may see the console ({@code /} and {@code /console/...}), and who may change anything.
 *
 * <pre>
 *   BERTH_CONSOLE_ENABLED=false ─────────────────────────────► 404
 *   bound to localhost ─ Host not localhost/127.0.0.1/[::1] ─► 403 (DNS rebinding)
 *   bound beyond localhost ─ no BERTH_CONSOLE_TOKEN ─────────► 403 (never served open)
 *                          └ token missing or wrong ─────────► 401, Basic challenge
 *   triggering a run ── dev mode and tests only ─────────────► otherwise 403 (read-only view)
 *   replaying a dead letter ── dev mode, or with the token ──► otherwise 403
 *   any POST ─ Origin of another site, or not JSON ──────────► 403 (cross-site request forgery)
 * </pre>
 *
 * The token is accepted as {@code Authorization: Bearer <token>} or as the password of HTTP basic
 * authentication (any user name), so a browser can open the page. A browser sends remembered basic
 * credentials with a form another site posts to Berth: hence a POST must say it is JSON (which no
 * plain form can, and which a script of another site cannot send without a CORS preflight that
 * Berth never grants) and carry no {@code Origin} but Berth's own.
 */
@ApplicationScoped
final class ConsoleGuard {

    private static final Logger LOG = Logger.getLogger(ConsoleGuard.class);

    /** What a browser sends as {@code Host} for a loopback address, with any port. */
    private static final Pattern LOCAL_HOST = Pattern.compile("(?i)(localhost|127\\.0\\.0\\.1|\\[::1\\])(:\\d{1,5})?");

    private final ConsoleSettings settings;
    private final boolean exposed;
    private final boolean interactive;

    @Inject
    ConsoleGuard(ConsoleSettings settings, @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String host) {
        this.settings = settings;
        this.exposed = !loopback(host);
        this.interactive = LaunchMode.current() != LaunchMode.NORMAL;
    }

    void announce(@Observes StartupEvent event) {
        if (settings.enabled() && exposed && settings.token().filter(t -> !t.isBlank()).isEmpty()) {
            LOG.warn("The runs console is not served: Berth listens beyond localhost and BERTH_CONSOLE_TOKEN is not set "
                    + "(set it, or BERTH_CONSOLE_ENABLED=false to silence this)");
        }
    }

    /** Dev mode and tests: the console may publish runs. */
    boolean interactive() {
        return interactive;
    }

    @ServerRequestFilter
    Response guard(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/") && !path.startsWith("/console")) {
            return null;
        }
        if (!settings.enabled()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        if (!exposed && !LOCAL_HOST.matcher(String.valueOf(request.getHeaderString(HttpHeaders.HOST))).matches()) {
            return text(Response.Status.FORBIDDEN, "Bound to localhost, the console answers only requests for "
                    + "localhost, 127.0.0.1 or [::1].");
        }
        boolean authenticated = presentsToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (exposed) {
            if (settings.token().filter(t -> !t.isBlank()).isEmpty()) {
                return text(Response.Status.FORBIDDEN, "The console is served beyond localhost only with "
                        + "BERTH_CONSOLE_TOKEN set.");
            }
            if (!authenticated) {
                return Response.status(Response.Status.UNAUTHORIZED)
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Berth console\", charset=\"UTF-8\"")
                        .build();
            }
        }
        if (request.getMethod().equals("POST")) {
            String forgery = crossSite(request);
            if (forgery != null) {
                return text(Response.Status.FORBIDDEN, forgery);
            }
            boolean trigger = path.startsWith("/console/api/runs");
            if (trigger ? !interactive : !(interactive || authenticated)) {
                return text(Response.Status.FORBIDDEN, trigger
                        ? "This console is a read-only view: runs are triggered from Port."
                        : "Replaying needs BERTH_CONSOLE_TOKEN.");
            }
        }
        return null;
    }

    /** Why a POST may come from another site's page, or null if it comes from the console's own. */
    private static String crossSite(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        if (origin != null && !sameAuthority(origin, request.getHeaderString(HttpHeaders.HOST))) {
            return "The console accepts changes only from its own page (Origin " + origin + " is another site).";
        }
        String type = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).startsWith(MediaType.APPLICATION_JSON)) {
            return "The console accepts changes only as Content-Type: application/json.";
        }
        return null;
    }

    private static boolean sameAuthority(String origin, String host) {
        try {
            String authority = new URI(origin).getRawAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host.trim());
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }

    private boolean presentsToken(String authorization) {
        String token = settings.token().map(secret -> secret.reveal()).filter(t -> !t.isBlank()).orElse(null);
        if (token == null || authorization == null) {
            return false;
        }
        String presented = null;
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = authorization.substring(7).trim();
        } else if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                presented = decoded.substring(decoded.indexOf(':') + 1);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Response text(Response.Status status, String message) {
        return Response.status(status).type(MediaType.TEXT_PLAIN).entity(message).build();
    }
}
