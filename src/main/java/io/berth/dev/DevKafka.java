package io.berth.dev;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.berth.config.KafkaSettings;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Dev mode's Kafka: when {@code kafka.brokers} is the dev default ({@code 127.0.0.1:19092}, see
 * {@code application.properties}), starts an {@link EmbeddedKafka} there, data under
 * {@code target/dev-kafka}, and creates the runs topic (3 partitions) and the dead-letter topic.
 *
 * <p>Why an early start-up observer: it runs before the messaging channels connect (they start
 * at {@code LIBRARY_BEFORE}), so the consumer finds a broker on its first attempt. A live reload
 * fires it again: the broker of the first start is still listening and is reused as it is.
 *
 * <p>{@code @IfBuildProfile("dev")}: the production build does not contain this bean, and nothing
 * else refers to {@link EmbeddedKafka}, whose dependency is {@code provided}.
 */
@IfBuildProfile("dev")
@ApplicationScoped
final class DevKafka {

    private static final Logger LOG = Logger.getLogger(DevKafka.class);
    private static final String HOST = "127.0.0.1";

    void start(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, KafkaSettings kafka,
            @ConfigProperty(name = "berth.dev.kafka-port", defaultValue = "19092") int port,
            @ConfigProperty(name = "mp.messaging.incoming.runs.topic") String runsTopic,
            @ConfigProperty(name = "mp.messaging.outgoing.runs-dead-letters.topic") String deadLetterTopic) {
        String embedded = HOST + ":" + port;
        Optional<String> brokers = kafka.brokers().filter(b -> !b.isBlank());
        if (brokers.isEmpty() || !brokers.get().equals(embedded)) {
            LOG.infof("Dev mode with KAFKA_BROKERS=%s: no embedded broker", brokers.orElse("(from Port)"));
            return;
        }
        long started = System.nanoTime();
        if (listening(port)) {
            LOG.infof("Embedded Kafka already running at %s (live reload): reusing it", embedded);
        } else {
            EmbeddedKafka broker = EmbeddedKafka.start(Path.of("target", "dev-kafka"), port);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "dev-kafka-close"));
        }
        createTopics(embedded, runsTopic, deadLetterTopic);
        LOG.infof("Embedded Kafka (KRaft, in-process) ready at %s in %d ms; topics %s (3 partitions), %s",
                embedded, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), runsTopic, deadLetterTopic);
    }

    private static void createTopics(String bootstrap, String runsTopic, String deadLetterTopic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (NewTopic topic : List.of(new NewTopic(runsTopic, 3, (short) 1), new NewTopic(deadLetterTopic, 1, (short) 1))) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the dev topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The embedded broker did not create the dev topics in 30 s", e);
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
