package io.berth.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.outbound.ProxyAddress;
import io.berth.outbound.Proxies;
import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import io.vertx.core.net.ProxyType;

/**
 * Sends one {@link Hop} and reads its answer, at most {@code maxAnswerBytes} of it: the body is
 * streamed into a buffer that stops at the cap, and the connection is then reset rather than read to
 * the end, so that a 60 MB answer costs 1 MiB of heap, not 60. Cancelling the returned {@code Uni}
 * (a deadline) resets the request too, so that nothing keeps reading after Berth gave up.
 */
final class WebhookExchange {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Proxies proxies;
    private final int maxAnswerBytes;
    /**
     * The last url's request target, parsed once: a bridge subscription sends every record to one
     * url, and parsing it ({@link RequestOptions#setAbsoluteURI}) for each was a {@code java.net.URL}
     * and its strings per request.
     */
    private volatile Target lastTarget;

    /** What {@link RequestOptions#setAbsoluteURI} makes of {@code url}: exactly these four fields. */
    private record Target(String url, String host, int port, boolean ssl, String uri) {

        static Target of(String url) {
            RequestOptions parsed = new RequestOptions().setAbsoluteURI(url);
            return new Target(url, parsed.getHost(), parsed.getPort(), parsed.isSsl(), parsed.getURI());
        }

        RequestOptions options() {
            return new RequestOptions().setHost(host).setPort(port).setSsl(ssl).setURI(uri);
        }
    }

    WebhookExchange(HttpClient client, Proxies proxies, int maxAnswerBytes) {
        this.client = Objects.requireNonNull(client, "client");
        this.proxies = Objects.requireNonNull(proxies, "proxies");
        this.maxAnswerBytes = maxAnswerBytes;
    }

    Uni<WebhookResponse> send(Hop hop) {
        return Uni.createFrom().emitter(emitter -> emitter.onTermination(send(hop, (answer, failure) -> {
            if (failure != null) {
                emitter.fail(failure);
            } else {
                emitter.complete(answer);
            }
        })));
    }

    /**
     * As {@link #send(Hop)}, without a {@code Uni} (a bridge record's request): {@code done} gets
     * exactly one of the answer and the failure, on the event loop, unless the exchange was
     * cancelled first.
     *
     * @return what cancels the exchange (resetting its request); nothing once it has ended
     */
    Runnable send(Hop hop, BiConsumer<WebhookResponse, Throwable> done) {
        Exchange exchange = new Exchange(done);
        Target target = lastTarget;
        if (target == null || !target.url().equals(hop.url())) {
            target = Target.of(hop.url());
            lastTarget = target;
        }
        RequestOptions options = target.options()
                .setMethod(HttpMethod.valueOf(hop.method()))
                .setHeaders(hop.headers());
        // Per hop: a redirect to a host in NO_PROXY goes direct.
        proxies.forUrl(hop.url()).ifPresent(proxy -> options.setProxyOptions(proxyOptions(proxy)));
        client.request(options).onComplete(requested -> {
            if (requested.failed()) {
                exchange.fail(requested.cause());
                return;
            }
            HttpClientRequest request = requested.result();
            exchange.started(request);
            // The body wrapped, not copied: a hop's bytes are never changed once made (a batch's were
            // a tenth of what the bridge allocated), and each attempt wraps them afresh.
            Buffer body = hop.body() == null ? null : Buffer.buffer(Unpooled.wrappedBuffer(hop.body()));
            (body == null ? request.send() : request.send(body)).onComplete(sent -> {
                if (sent.failed()) {
                    exchange.fail(sent.cause());
                } else {
                    read(request, sent.result(), exchange);
                }
            });
        });
        return exchange::cancel;
    }

    /** One exchange's end, reported once; a request not read to its end is reset, never reused. */
    private static final class Exchange extends AnsweredOnce {

        /** Nothing more is read: the answer ended, or the request was reset. */
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile HttpClientRequest request;

        private Exchange(BiConsumer<WebhookResponse, Throwable> done) {
            super(done);
        }

        void started(HttpClientRequest request) {
            this.request = request;
            if (answered()) {
                ending(null); // cancelled (or failed) before the request existed
            }
        }

        /** Failed or cancelled: the connection is closed, not reused. */
        @Override
        void ending(WebhookResponse answer) {
            HttpClientRequest inFlight = request;
            if (answer == null && inFlight != null && ended.compareAndSet(false, true)) {
                inFlight.reset();
            }
        }

        boolean ended() {
            return ended.get();
        }

        /** True for the one caller that ends the reading. */
        boolean end() {
            return ended.compareAndSet(false, true);
        }
    }

    private static ProxyOptions proxyOptions(ProxyAddress proxy) {
        ProxyOptions options = new ProxyOptions().setType(ProxyType.HTTP).setHost(proxy.host()).setPort(proxy.port());
        proxy.username().ifPresent(options::setUsername);
        proxy.password().ifPresent(password -> options.setPassword(password.reveal()));
        return options;
    }

    private void read(HttpClientRequest request, HttpClientResponse response, Exchange exchange) {
        Buffer received = Buffer.buffer();
        response.handler(chunk -> {
            if (exchange.ended()) {
                return;
            }
            int room = maxAnswerBytes - received.length();
            if (chunk.length() <= room) {
                received.appendBuffer(chunk);
                return;
            }
            received.appendBuffer(chunk, 0, room);
            if (exchange.end()) {
                request.reset(); // the rest is never read
                exchange.complete(answer(response, received, true));
            }
        });
        response.exceptionHandler(failure -> {
            if (!exchange.ended()) {
                exchange.fail(failure);
            }
        });
        response.endHandler(end -> {
            if (exchange.end()) {
                exchange.complete(answer(response, received, false));
            }
        });
    }

    private static WebhookResponse answer(HttpClientResponse http, Buffer received, boolean truncated) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        // One pass over the answer's headers: names() built a sorted set, and getAll a list per name.
        for (Map.Entry<String, String> header : http.headers()) {
            String field = fieldNamed(headers, header.getKey());
            if (field == null) {
                headers.put(header.getKey(), header.getValue());
            } else {
                headers.put(field, headers.get(field).asText() + ", " + header.getValue());
            }
        }
        byte[] bytes = received.getBytes();
        String text = new String(bytes, 0, truncated ? wholeCharacters(bytes) : bytes.length, StandardCharsets.UTF_8);
        // A cut JSON document does not parse; the report sees json null rather than half a value.
        JsonNode json = truncated ? null : parseJson(text);
        return new WebhookResponse(http.statusCode(), headers, text, json, truncated, 0, 1, Duration.ZERO);
    }

    /**
     * The field of {@code headers} that holds {@code name}, in whatever case it came first, or null:
     * HTTP names are case-insensitive, and an answer has a handful of them.
     */
    private static String fieldNamed(ObjectNode headers, String name) {
        for (Iterator<String> fields = headers.fieldNames(); fields.hasNext();) {
            String field = fields.next();
            if (field.equalsIgnoreCase(name)) {
                return field;
            }
        }
        return null;
    }

    /** The length of {@code bytes} without a UTF-8 sequence the cut left incomplete. */
    static int wholeCharacters(byte[] bytes) {
        int end = bytes.length;
        int start = end;
        // Back over at most three continuation bytes (10xxxxxx) to the sequence's first byte.
        while (start > 0 && end - start < 3 && (bytes[start - 1] & 0xC0) == 0x80) {
            start--;
        }
        if (start == 0) {
            return end;
        }
        int lead = bytes[start - 1] & 0xFF;
        int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        int present = end - (start - 1);
        return present < length ? start - 1 : end;
    }

    private static JsonNode parseJson(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }
}
