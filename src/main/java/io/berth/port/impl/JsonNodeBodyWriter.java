package io.berth.port.impl;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;

/**
 * Writes the JSON bodies of Port calls. The REST client's own Jackson writer looks up a
 * {@code @JsonView} on the method's parameter by reflection at every request, which copies the
 * parameters' annotation arrays: the largest allocation site of a run in the bench's profile. A
 * {@link JsonNode} needs no view.
 */
final class JsonNodeBodyWriter implements MessageBodyWriter<JsonNode> {

    private final ObjectMapper mapper = new ObjectMapper();

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonNode.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(JsonNode body, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, Object> headers, OutputStream entity) throws IOException {
        entity.write(mapper.writeValueAsBytes(body));
    }
}
