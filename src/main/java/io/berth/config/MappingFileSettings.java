package io.berth.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** {@code CONTROL_THE_PAYLOAD_CONFIG_PATH}: port-agent's mapping file. Unset: no webhook invoker. */
@ConfigMapping(prefix = "control-the-payload")
public interface MappingFileSettings {

    Optional<String> configPath();
}
