package io.berth.bridge.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.berth.bridge.BridgeConfiguration.RequestResponseRoute;
import io.berth.bridge.http.PendingReplies.Reply;
import io.berth.bridge.http.PendingReplies.ReplyTimeout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * One {@code requestResponse} entry: {@code POST path} (with kafka-hooks' {@code :name} parameters)
 * publishes the body to {@code requestTopic} with kafka-hooks' headers, and answers with the reply
 * carrying the same {@code x-plt-kafka-hooks-correlation-id} on {@code responseTopic}: its
 * {@code x-status-code} (default 200), {@code content-type} and value; 504 after {@code timeout}.
 */
final class ReplyRoute {

    static final String PATH_PARAMS_HEADER = "x-plt-kafka-hooks-path-params";
    static final String QUERY_STRING_HEADER = "x-plt-kafka-hooks-query-string";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestResponseRoute route;
    private final InboundAuth auth;
    private final RecordSender sender;
    private final PendingReplies pending;

    ReplyRoute(RequestResponseRoute route, InboundAuth auth, RecordSender sender, PendingReplies pending) {
        this.route = route;
        this.auth = auth;
        this.sender = sender;
        this.pending = pending;
    }

    void handle(RoutingContext context) {
        auth.admits(context).subscribe().with(admitted -> {
            if (admitted) {
                call(context);
            } else {
                ErrorAnswers.unauthorized(context);
            }
        });
    }

    private void call(RoutingContext context) {
        Context vertx = Vertx.currentContext();
        String id = UUID.randomUUID().toString();
        Optional<Future<Reply>> reply = pending.expect(id, vertx, route.timeout());
        if (reply.isEmpty()) {
            ErrorAnswers.send(context, 503, "Too many request/response calls wait for their reply: try again later.");
            return;
        }
        context.response().closeHandler(closed -> pending.forget(id));
        sender.send(vertx, request(context, id)).onFailure(failure -> {
            pending.forget(id);
            ErrorAnswers.sendFailure(context, failure);
        });
        reply.get().onComplete(answered -> {
            if (answered.failed()) {
                if (answered.cause() instanceof ReplyTimeout) {
                    ErrorAnswers.send(context, 504, "Request timeout");
                }
                return; // forgotten: the caller left, or the publish failure was answered
            }
            Reply answer = answered.result();
            if (answer.contentType() != null) {
                context.response().putHeader("content-type", answer.contentType());
            }
            context.response().setStatusCode(answer.status()).end(io.vertx.core.buffer.Buffer.buffer(answer.body()));
        });
    }

    private ProducerRecord<byte[], byte[]> request(RoutingContext context, String id) {
        byte[] value = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(route.requestTopic(), null, null, value);
        ObjectNode params = JSON.createObjectNode();
        context.pathParams().forEach(params::put);
        ObjectNode query = JSON.createObjectNode();
        for (String name : context.queryParams().names()) {
            List<String> values = context.queryParams().getAll(name);
            if (values.size() == 1) {
                query.put(name, values.get(0));
            } else {
                ArrayNode all = query.putArray(name);
                values.forEach(all::add);
            }
        }
        record.headers().add(ReplyReader.CORRELATION_HEADER, id.getBytes(StandardCharsets.UTF_8));
        record.headers().add(PATH_PARAMS_HEADER, params.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(QUERY_STRING_HEADER, query.toString().getBytes(StandardCharsets.UTF_8));
        String type = context.request().getHeader("content-type");
        if (type != null) {
            record.headers().add("content-type", type.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    String path() {
        return route.path();
    }
}
