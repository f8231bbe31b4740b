package io.berth.polling.impl;

import org.jboss.logging.Logger;

import io.berth.config.Streamer;
import io.berth.port.PortClient;

/**
 * Tells Port at start-up which streamer this organisation's agent uses ({@code PATCH
 * /v1/organization}, {@code settings.portAgentStreamerName}), as port-agent does before it streams:
 * Port then hands runs to the topic or keeps them for claims. A failure never stops Berth (port-agent
 * continues too): the call is retried within {@code BERTH_PORT_RETRY_*}, then logged at WARN.
 */
final class StreamerAnnouncement {

    private static final Logger LOG = Logger.getLogger(StreamerAnnouncement.class);

    private StreamerAnnouncement() {
    }

    /** Starts the call and returns at once; its end is only logged. */
    static void announce(PortClient port, Streamer streamer) {
        port.announceStreamer(streamer.name()).subscribe().with(
                done -> LOG.infof("Told Port that this organisation's agent uses the %s streamer", streamer),
                failure -> LOG.warnf("Could not tell Port that this organisation's agent uses the %s streamer (%s); "
                        + "continuing. Check the organisation's agent settings in Port if runs do not arrive",
                        streamer, failure.getMessage()));
    }
}
