package io.berth.port.impl;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The JSON body of Port's token call. {@link #toString()} hides the secret. */
@RegisterForReflection
record AccessTokenRequest(String clientId, String clientSecret) {

    @Override
    public String toString() {
        return "AccessTokenRequest[clientId=" + clientId + ", clientSecret=***]";
    }
}
