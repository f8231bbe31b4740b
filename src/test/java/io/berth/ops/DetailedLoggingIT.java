package io.berth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.berth.config.PortAgentSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * With port-agent's {@code DETAILED_LOGGING=true} (which makes port-agent log request and response
 * bodies) and {@code LOG_LEVEL=WARNING}, Berth still logs no body, decrypted input or secret: the
 * whole of {@link SecretsStayOutIT} again under those settings.
 */
@QuarkusTest
@TestProfile(DetailedLoggingIT.PortAgentLogging.class)
class DetailedLoggingIT extends SecretsStayOutIT {

    /** port-agent's logging variables, as the environment would give them. */
    public static final class PortAgentLogging implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("detailed.logging", "true", "log.level", "WARNING");
        }
    }

    @Inject
    PortAgentSettings agent;

    @Test
    void theSettingsReachBerthAndLogLevelSetsTheRootLevel() {
        assertThat(agent.detailedLogging()).contains(true);
        assertThat(java.util.logging.Logger.getLogger("").getLevel().getName()).isEqualTo("WARN");
        assertThat(java.util.logging.Logger.getLogger("io.berth").getLevel().getName())
                .as("a category's own level stays").isEqualTo("DEBUG");
    }
}
