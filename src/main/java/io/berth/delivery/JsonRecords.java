package io.berth.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a record's value as exactly one JSON object, strictly, because whatever it lets through
 * reaches handlers, Port and logs: well-formed UTF-8 only, one JSON value and nothing after it,
 * within Jackson's limits (nesting, number and name lengths) and a size limit. Each refusal is an
 * {@link UnusableRecord} whose reason says what is wrong and where without quoting the record.
 */
public final class JsonRecords {

    private JsonRecords() {
    }

    /**
     * @param noun what one record holds, for the reasons ("run message", "change event")
     * @throws UnusableRecord when the value is not one JSON object within the limits
     */
    public static ObjectNode object(ObjectMapper mapper, byte[] value, int maxRecordBytes, String noun) {
        if (value == null || value.length == 0) {
            throw new UnusableRecord("empty record: no " + noun);
        }
        if (value.length > maxRecordBytes) {
            throw new UnusableRecord("record of " + value.length + " bytes exceeds the limit of " + maxRecordBytes
                    + " bytes");
        }
        int malformedByte = firstMalformedUtf8Byte(value);
        if (malformedByte >= 0) {
            throw new UnusableRecord("not UTF-8: malformed byte sequence at byte " + malformedByte);
        }
        JsonNode root;
        try (JsonParser json = mapper.createParser(value)) {
            root = mapper.readTree(json);
            JsonLocation end = json.currentLocation();
            if (root != null && !atEnd(json)) {
                throw new UnusableRecord("text after the JSON value" + at(end) + ": a record holds exactly one " + noun);
            }
        } catch (JsonProcessingException unparseable) {
            // The parser's messages may quote the input, which may hold secrets: only the location is kept,
            // and a limit's message, which holds only numbers.
            StreamConstraintsException limit = limitIn(unparseable);
            throw new UnusableRecord(limit != null
                    ? "JSON beyond the parser's limits" + at(unparseable.getLocation()) + ": " + limit.getOriginalMessage()
                    : "malformed JSON" + at(unparseable.getLocation()));
        } catch (IOException unreadable) {
            throw new UnusableRecord("unreadable record: " + unreadable.getClass().getSimpleName());
        }
        if (root == null || !root.isObject()) {
            throw new UnusableRecord("a " + noun + " must be a JSON object, found "
                    + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return (ObjectNode) root;
    }

    /**
     * Whether {@code value} is exactly one JSON value of any type, strictly as {@link #object} reads
     * one: well-formed UTF-8 without a byte order mark, nothing after the value, within Jackson's
     * limits. Such a value can be written into a JSON document as it is. It is read by a scan
     * ({@link OneJsonValue}), not a parser: a batched bridge asks this of every record.
     */
    public static boolean isOneJsonValue(byte[] value) {
        return OneJsonValue.in(value); // its scan checks the UTF-8 too, and refuses a byte order mark
    }

    /**
     * The index of the first byte that is not well-formed UTF-8 (RFC 3629: overlong forms, encoded
     * surrogates and code points past U+10FFFF included), or -1. Jackson's own decoder lets overlong
     * forms through, so the bytes are checked before it reads them.
     */
    static int firstMalformedUtf8Byte(byte[] value) {
        int ascii = 0;
        while (ascii < value.length && value[ascii] >= 0) {
            ascii++;
        }
        if (ascii == value.length) {
            return -1; // most records: ASCII is well-formed, and no decoder or buffer is needed per record
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(value, ascii, value.length - ascii);
        CharBuffer out = CharBuffer.allocate(Math.min(4096, value.length - ascii));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    /** Whether nothing but whitespace follows the value just read. */
    private static boolean atEnd(JsonParser json) {
        try {
            return json.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static StreamConstraintsException limitIn(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof StreamConstraintsException limit) {
                return limit;
            }
        }
        return null;
    }
}
